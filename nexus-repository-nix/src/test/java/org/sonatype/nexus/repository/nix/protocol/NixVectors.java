package org.sonatype.nexus.repository.nix.protocol;

/**
 * Test vectors produced by the real Nix 2.8.0 client (Debian nix-bin) on this project's machines, pasted verbatim.
 *
 * <pre>
 * nix-store --add small.txt                          # content 'hello from the protocol tests\n'
 * nix-build rb.nix -A rc                             # rb-1.0 (a directory, refs small.txt), rc-1.0 (refs both)
 * nix key generate-secret --key-name test-1 > sk     # and cache.example.org-1 > sk2
 * nix key convert-secret-to-public < sk > pk
 * nix copy --to 'file:///tmp/pv/c-X?compression=X' rc   # for every compression
 * nix copy --to 'file:///tmp/pv/signed?secret-key=sk' rc
 * nix store sign --store file:///tmp/pv/c-zstd-signed -k sk2 -r rc
 * nix hash file --type T --base32|--base16|--sri fox.txt
 * </pre>
 */
public final class NixVectors
{
  private NixVectors() {
  }

  public static final String STORE_DIR = "/nix/store";

  // --- keys ------------------------------------------------------------------------------------------------------

  public static final String TEST_1_SECRET_KEY =
      "test-1:BH7pOraiE7p+ozGGl3XXKWBY5sfIp5we0xy04DqIlvFZaJhAJLKxmYmkrL4Ba+YfMTfJJ1HIoAuHpmVBcBAR7w==";

  public static final String TEST_1_PUBLIC_KEY = "test-1:WWiYQCSysZmJpKy+AWvmHzE3ySdRyKALh6ZlQXAQEe8=";

  public static final String EXAMPLE_SECRET_KEY = "cache.example.org-1:"
      + "xbQT0dkqFLTLkOKmgjv8xJ2RKIThCZvMGvtzoD80SUaPaF8gLXKX1WEh9aL1FaBKQe69OGB7yoDHx3QfiL1QPQ==";

  public static final String EXAMPLE_PUBLIC_KEY = "cache.example.org-1:j2hfIC1yl9VhIfWi9RWgSkHuvThge8qAx8d0H4i9UD0=";

  // --- narinfos --------------------------------------------------------------------------------------------------

  /** {@code nix copy --to 'file://...?secret-key=sk'}: xz, signed by test-1. */
  public static final String RB_SIGNED_XZ = ""
      + "StorePath: /nix/store/2bjnibaqqch1khga9z3w2br5sxz7ssb8-rb-1.0\n"
      + "URL: nar/1qhhj8j997670d7pxf5bwqyfjc1rkc31csw111ipaqkpy76li5sh.nar.xz\n"
      + "Compression: xz\n"
      + "FileHash: sha256:1qhhj8j997670d7pxf5bwqyfjc1rkc31csw111ipaqkpy76li5sh\n"
      + "FileSize: 3072\n"
      + "NarHash: sha256:0c2x838h69j67772wc217x6pvgwsmyq8w1gay4ndsxvadmydg6x2\n"
      + "NarSize: 276000\n"
      + "References: bgcwswhizdnd4vy4nka65illanb4k7if-small.txt\n"
      + "Deriver: zif5c57hay69q7xrnk73jwyscwsd74gm-rb-1.0.drv\n"
      + "Sig: test-1:hKZt3nYaVovljl0QwaATwf6Z5LdNAhuOPa40QTZ3/XO8XIeSSh1zC1qQhVu74oZBlq4tRqatZG2v/f6MQ78yCw==\n";

  /** Same cache: a content-addressed path with no references, also signed by test-1. */
  public static final String SMALL_SIGNED_XZ = ""
      + "StorePath: /nix/store/bgcwswhizdnd4vy4nka65illanb4k7if-small.txt\n"
      + "URL: nar/1fq3rhzxaz39l3sxxqm5cj4lfgylp4mq3yngdnnh9bykr64lr78z.nar.xz\n"
      + "Compression: xz\n"
      + "FileHash: sha256:1fq3rhzxaz39l3sxxqm5cj4lfgylp4mq3yngdnnh9bykr64lr78z\n"
      + "FileSize: 152\n"
      + "NarHash: sha256:1c0g8dk8hyvfrl1xcrsp4hin01rlpsvznfb6p29xk3hx45h5xr5v\n"
      + "NarSize: 144\n"
      + "References: \n"
      + "Sig: test-1:vyyJsUF5AZ0pz1H/dYF/64zaFPKkrE3SLuvLDfIu6jSzStLGxKlxh0EyBnUr9LEbYXbebSLj4O9yvJycQ5R4CQ==\n"
      + "CA: fixed:r:sha256:1c0g8dk8hyvfrl1xcrsp4hin01rlpsvznfb6p29xk3hx45h5xr5v\n";

  /** Same cache: two references, signed by test-1. */
  public static final String RC_SIGNED_XZ = ""
      + "StorePath: /nix/store/vbkp9i123aq28c16h1y0s0v9m2zr6dyw-rc-1.0\n"
      + "URL: nar/0zmvdw651zbah4q97nsrczgzfj4p03imii6cb2l1ba0q615ya5f8.nar.xz\n"
      + "Compression: xz\n"
      + "FileHash: sha256:0zmvdw651zbah4q97nsrczgzfj4p03imii6cb2l1ba0q615ya5f8\n"
      + "FileSize: 216\n"
      + "NarHash: sha256:03mcfs0df1zjz9688bz7civbw9zlvp0f3hpidfsvn5p2h6mqlljn\n"
      + "NarSize: 224\n"
      + "References: 2bjnibaqqch1khga9z3w2br5sxz7ssb8-rb-1.0 bgcwswhizdnd4vy4nka65illanb4k7if-small.txt\n"
      + "Deriver: 5fq5z1z76dhxphmhfpri3v11x3k4v9dd-rc-1.0.drv\n"
      + "Sig: test-1:JTjGMBQEiebcIQ1K7LobgR8zVBf+zBy1EM/6hx6JvP5oHKK5iyfqpmJ7evnHRTOksSK8eBiL1pK2VItFSXw1AQ==\n";

  /** {@code nix copy --to 'file://...?compression=zstd'} then {@code nix store sign -k sk2}. */
  public static final String RC_ZSTD_SIGNED_BY_NIX_STORE_SIGN = ""
      + "StorePath: /nix/store/vbkp9i123aq28c16h1y0s0v9m2zr6dyw-rc-1.0\n"
      + "URL: nar/1ir2gfvm862b31lvq45j2468m8dv16r4f8z9bhs7dl6sissq8z84.nar.zst\n"
      + "Compression: zstd\n"
      + "FileHash: sha256:1ir2gfvm862b31lvq45j2468m8dv16r4f8z9bhs7dl6sissq8z84\n"
      + "FileSize: 172\n"
      + "NarHash: sha256:03mcfs0df1zjz9688bz7civbw9zlvp0f3hpidfsvn5p2h6mqlljn\n"
      + "NarSize: 224\n"
      + "References: 2bjnibaqqch1khga9z3w2br5sxz7ssb8-rb-1.0 bgcwswhizdnd4vy4nka65illanb4k7if-small.txt\n"
      + "Deriver: 5fq5z1z76dhxphmhfpri3v11x3k4v9dd-rc-1.0.drv\n"
      + "Sig: cache.example.org-1:aDLegibcEUEYGHL9JspOY2tMvtYq+qTmXfhq/rOSiK9UKw66EKIHFPy/WcAeC0FDcUgl6hvy/llMOO9s0wzMAA==\n";

  /** {@code nix store sign -k sk2} on the content-addressed path of the zstd cache. */
  public static final String SMALL_ZSTD_SIGNED_BY_NIX_STORE_SIGN = ""
      + "StorePath: /nix/store/bgcwswhizdnd4vy4nka65illanb4k7if-small.txt\n"
      + "URL: nar/0x3l3ypb4ys33g4b9pd791aq6apwx1qjp85znlj6mhsra8nvf07w.nar.zst\n"
      + "Compression: zstd\n"
      + "FileHash: sha256:0x3l3ypb4ys33g4b9pd791aq6apwx1qjp85znlj6mhsra8nvf07w\n"
      + "FileSize: 107\n"
      + "NarHash: sha256:1c0g8dk8hyvfrl1xcrsp4hin01rlpsvznfb6p29xk3hx45h5xr5v\n"
      + "NarSize: 144\n"
      + "References: \n"
      + "Sig: cache.example.org-1:2kIhmfNOh5mU400rSUbQIdlV2lfw2duCJ+npF03mNLm5Ext+R1TRntbvq1DLX1KEPbIuRnadsWOijd08ipOtDA==\n"
      + "CA: fixed:r:sha256:1c0g8dk8hyvfrl1xcrsp4hin01rlpsvznfb6p29xk3hx45h5xr5v\n";

  /** {@code nix copy --to 'file://...?compression=none'}: FileHash equals NarHash, no signature. */
  public static final String RB_NONE = ""
      + "StorePath: /nix/store/2bjnibaqqch1khga9z3w2br5sxz7ssb8-rb-1.0\n"
      + "URL: nar/0c2x838h69j67772wc217x6pvgwsmyq8w1gay4ndsxvadmydg6x2.nar\n"
      + "Compression: none\n"
      + "FileHash: sha256:0c2x838h69j67772wc217x6pvgwsmyq8w1gay4ndsxvadmydg6x2\n"
      + "FileSize: 276000\n"
      + "NarHash: sha256:0c2x838h69j67772wc217x6pvgwsmyq8w1gay4ndsxvadmydg6x2\n"
      + "NarSize: 276000\n"
      + "References: bgcwswhizdnd4vy4nka65illanb4k7if-small.txt\n"
      + "Deriver: zif5c57hay69q7xrnk73jwyscwsd74gm-rb-1.0.drv\n";

  /** The NAR of rb-1.0, uncompressed: what every rb-1.0.nar.* fixture must decode to. */
  public static final String RB_NAR_HASH = "sha256:0c2x838h69j67772wc217x6pvgwsmyq8w1gay4ndsxvadmydg6x2";

  public static final long RB_NAR_SIZE = 276000;

  /** From the reference document (research notes, Nix 2.8): signed by research-cache-1, whose key we lack. */
  public static final String RD_FINGERPRINT = "1;/nix/store/z9l85v008gi2vl2dfs1l7z5ixkr89jwj-rd-1.0;"
      + "sha256:0pm5092rsngd3zwl1yjsn3xkvp69dkv4hipdkpbfp43j7wj1gfpm;168;"
      + "/nix/store/s5rwyk61cv3wf3gs5lh41faw36qqsiv3-rb-1.0";

  public static final String RD_RESEARCH = ""
      + "StorePath: /nix/store/z9l85v008gi2vl2dfs1l7z5ixkr89jwj-rd-1.0\n"
      + "URL: nar/1gw3agxyymk928zlikbli5i19zhqc0iss7wkan52kmfq6qdpynbh.nar.xz\n"
      + "Compression: xz\n"
      + "FileHash: sha256:1gw3agxyymk928zlikbli5i19zhqc0iss7wkan52kmfq6qdpynbh\n"
      + "FileSize: 176\n"
      + "NarHash: sha256:0pm5092rsngd3zwl1yjsn3xkvp69dkv4hipdkpbfp43j7wj1gfpm\n"
      + "NarSize: 168\n"
      + "References: s5rwyk61cv3wf3gs5lh41faw36qqsiv3-rb-1.0\n"
      + "Deriver: r47nxkzjrx88gjbsb1pzx2lrlz13kdch-rd-1.0.drv\n"
      + "Sig: research-cache-1:d9uSgVBUO0zt1Gayd9a2N7lqeJblBbN6l2eL3C2IFw9seP+VKxq4Ob5Und4kiVVdGleSgj1yCVunLf16o4JXCg==\n";
}
