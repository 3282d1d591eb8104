package org.sonatype.nexus.repository.nix.protocol.narinfo;

/**
 * Content-addressed paths made by the real Nix 2.8.0 client (Debian nix-bin), with the narinfos
 * {@code nix copy --to 'file:///tmp/sign-vec/cache?compression=none'} wrote for them, pasted verbatim.
 *
 * <pre>
 * printf 'hello signing vectors\n' > hello.txt
 * mkdir -p tree/sub; printf 'a\n' > tree/a; printf 'b\n' > tree/sub/b; chmod +x tree/sub/b; ln -s a tree/link
 * nix-store --add hello.txt                           # ADDED_FILE
 * nix-store --add-fixed sha256 --recursive tree       # ADDED_TREE
 * nix-store --add-fixed sha256 hello.txt              # FLAT_SHA256
 * nix-store --add-fixed sha1 --recursive tree         # RECURSIVE_SHA1
 * nix-store --add-fixed sha512 hello.txt              # FLAT_SHA512
 * builtins.toFile "dep.txt" "a dependency\n"          # TEXT
 * builtins.toFile "with-ref.txt" "refers to ${dep}\n" # TEXT_WITH_REFERENCE
 * derivation { ...; outputHashMode = "flat"; outputHashAlgo = "sha256"; ... }       # FIXED_OUTPUT_FLAT
 * derivation { ...; outputHashMode = "recursive"; outputHashAlgo = "sha256"; ... }  # FIXED_OUTPUT_RECURSIVE
 * nix store make-content-addressed -r ref-b-1.0       # ref-b refers to ref-a and to itself:
 *                                                     # MADE_CONTENT_ADDRESSED_A, MADE_CONTENT_ADDRESSED_B
 * nix copy --derivation ... ref-b-1.0.drv             # DERIVATION (a text path referring to another .drv)
 * </pre>
 */
public final class ContentAddressVectors
{
  private ContentAddressVectors() {
  }

  public static final String ADDED_FILE = ""
      + "StorePath: /nix/store/9garfv0mdg22nbpw01h7rybkx1qlcj70-hello.txt\n"
      + "URL: nar/1i882i1jcs6k7nc3lhn3plhjkf691bs547mfb6fg5mrdv3pdyh9z.nar\n"
      + "Compression: none\n"
      + "FileHash: sha256:1i882i1jcs6k7nc3lhn3plhjkf691bs547mfb6fg5mrdv3pdyh9z\n"
      + "FileSize: 136\n"
      + "NarHash: sha256:1i882i1jcs6k7nc3lhn3plhjkf691bs547mfb6fg5mrdv3pdyh9z\n"
      + "NarSize: 136\n"
      + "References: \n"
      + "CA: fixed:r:sha256:1i882i1jcs6k7nc3lhn3plhjkf691bs547mfb6fg5mrdv3pdyh9z\n";

  public static final String ADDED_TREE = ""
      + "StorePath: /nix/store/x1wssaipbm1s3c97qnf8sy0lc5wgpgvr-tree\n"
      + "URL: nar/0f4vbsigakn8r8f0fazw8bky1jyw95jl04kckaif8h3yqzidck94.nar\n"
      + "Compression: none\n"
      + "FileHash: sha256:0f4vbsigakn8r8f0fazw8bky1jyw95jl04kckaif8h3yqzidck94\n"
      + "FileSize: 872\n"
      + "NarHash: sha256:0f4vbsigakn8r8f0fazw8bky1jyw95jl04kckaif8h3yqzidck94\n"
      + "NarSize: 872\n"
      + "References: \n"
      + "CA: fixed:r:sha256:0f4vbsigakn8r8f0fazw8bky1jyw95jl04kckaif8h3yqzidck94\n";

  public static final String FLAT_SHA256 = ""
      + "StorePath: /nix/store/k0jw4l7j6a6714kf69rk7zzwk8ln82bf-hello.txt\n"
      + "URL: nar/1i882i1jcs6k7nc3lhn3plhjkf691bs547mfb6fg5mrdv3pdyh9z.nar\n"
      + "Compression: none\n"
      + "FileHash: sha256:1i882i1jcs6k7nc3lhn3plhjkf691bs547mfb6fg5mrdv3pdyh9z\n"
      + "FileSize: 136\n"
      + "NarHash: sha256:1i882i1jcs6k7nc3lhn3plhjkf691bs547mfb6fg5mrdv3pdyh9z\n"
      + "NarSize: 136\n"
      + "References: \n"
      + "CA: fixed:sha256:02wsyfx5r35zhp8zic732f4710akpinaf3dnma0gc5yf8crk1jcc\n";

  public static final String RECURSIVE_SHA1 = ""
      + "StorePath: /nix/store/7c553bh5bxsflrp866yj7nhplrsqqv2j-tree\n"
      + "URL: nar/0f4vbsigakn8r8f0fazw8bky1jyw95jl04kckaif8h3yqzidck94.nar\n"
      + "Compression: none\n"
      + "FileHash: sha256:0f4vbsigakn8r8f0fazw8bky1jyw95jl04kckaif8h3yqzidck94\n"
      + "FileSize: 872\n"
      + "NarHash: sha256:0f4vbsigakn8r8f0fazw8bky1jyw95jl04kckaif8h3yqzidck94\n"
      + "NarSize: 872\n"
      + "References: \n"
      + "CA: fixed:r:sha1:zyrjz2q8c9nljkcvzv347dyjqniyb97y\n";

  public static final String FLAT_SHA512 = ""
      + "StorePath: /nix/store/zj3qyk0wdr4wvny4aq22vnkfhwz07bkd-hello.txt\n"
      + "URL: nar/1i882i1jcs6k7nc3lhn3plhjkf691bs547mfb6fg5mrdv3pdyh9z.nar\n"
      + "Compression: none\n"
      + "FileHash: sha256:1i882i1jcs6k7nc3lhn3plhjkf691bs547mfb6fg5mrdv3pdyh9z\n"
      + "FileSize: 136\n"
      + "NarHash: sha256:1i882i1jcs6k7nc3lhn3plhjkf691bs547mfb6fg5mrdv3pdyh9z\n"
      + "NarSize: 136\n"
      + "References: \n"
      + "CA: fixed:sha512:2b87fmizxbrxcrnkg2m8hijsnmp99w3vs83z0z8fny26yxci8wvzv8glkrbywbf8d5672259mv935wviriw97prvx"
      + "3586rzpgpl6pn8\n";

  public static final String TEXT = ""
      + "StorePath: /nix/store/p1lbzl2g6g4pz1wjm5270kllwzf0cd3r-dep.txt\n"
      + "URL: nar/033xlnzwn1sa5b32ay54mnav6hvcdq6v8g3nsf5h12gnrzd6frqz.nar\n"
      + "Compression: none\n"
      + "FileHash: sha256:033xlnzwn1sa5b32ay54mnav6hvcdq6v8g3nsf5h12gnrzd6frqz\n"
      + "FileSize: 128\n"
      + "NarHash: sha256:033xlnzwn1sa5b32ay54mnav6hvcdq6v8g3nsf5h12gnrzd6frqz\n"
      + "NarSize: 128\n"
      + "References: \n"
      + "CA: text:sha256:1j7sfwqriah6x0bn61297wg42675194hdmh8lkc9vb7izhhy0gd3\n";

  public static final String TEXT_WITH_REFERENCE = ""
      + "StorePath: /nix/store/8x60jwc9faqygm0pplir6xmqyv8k109x-with-ref.txt\n"
      + "URL: nar/1bwjczk9gphr16wixh4hmran8k6g4w2scrgjwwhq5x0cxxn8cr2z.nar\n"
      + "Compression: none\n"
      + "FileHash: sha256:1bwjczk9gphr16wixh4hmran8k6g4w2scrgjwwhq5x0cxxn8cr2z\n"
      + "FileSize: 176\n"
      + "NarHash: sha256:1bwjczk9gphr16wixh4hmran8k6g4w2scrgjwwhq5x0cxxn8cr2z\n"
      + "NarSize: 176\n"
      + "References: p1lbzl2g6g4pz1wjm5270kllwzf0cd3r-dep.txt\n"
      + "CA: text:sha256:1j26rwywygvv2q3bxqdbmbm407za1zwd0hnsh7lznkn0gyr0qanr\n";

  public static final String FIXED_OUTPUT_FLAT = ""
      + "StorePath: /nix/store/8mac69saw6rs6y5n9wacl3bx9ciqd2w5-fod-flat.txt\n"
      + "URL: nar/12gkphf168pfcpwinq27c0nflx5q6j928ysih45wgn5lpkd3hsx2.nar\n"
      + "Compression: none\n"
      + "FileHash: sha256:12gkphf168pfcpwinq27c0nflx5q6j928ysih45wgn5lpkd3hsx2\n"
      + "FileSize: 128\n"
      + "NarHash: sha256:12gkphf168pfcpwinq27c0nflx5q6j928ysih45wgn5lpkd3hsx2\n"
      + "NarSize: 128\n"
      + "References: \n"
      + "Deriver: 9sb7kq1g9sywlggyhx6nibw90mfq71c7-fod-flat.txt.drv\n"
      + "CA: fixed:sha256:1q75lkb8cn0m7dcngfzg06wr2002w5nvj4fi5ba615fh42gnwqqz\n";

  public static final String FIXED_OUTPUT_RECURSIVE = ""
      + "StorePath: /nix/store/34q02dv8rlmvxzf53vcpmk2ng0s69jq1-fod-rec\n"
      + "URL: nar/0x8rfwm8ahk1g7chxpm8ij2nhvzxiryknb33py3dha2qxw5fkgr9.nar\n"
      + "Compression: none\n"
      + "FileHash: sha256:0x8rfwm8ahk1g7chxpm8ij2nhvzxiryknb33py3dha2qxw5fkgr9\n"
      + "FileSize: 288\n"
      + "NarHash: sha256:0x8rfwm8ahk1g7chxpm8ij2nhvzxiryknb33py3dha2qxw5fkgr9\n"
      + "NarSize: 288\n"
      + "References: \n"
      + "Deriver: 1z5bj67af746qcw47i6mddrn2mi8fl47-fod-rec.drv\n"
      + "CA: fixed:r:sha256:0x8rfwm8ahk1g7chxpm8ij2nhvzxiryknb33py3dha2qxw5fkgr9\n";

  public static final String MADE_CONTENT_ADDRESSED_A = ""
      + "StorePath: /nix/store/hyv91zvhf6ji7dhc2fvk9ybpfbnyp0g0-ref-a-1.0\n"
      + "URL: nar/11hap619k9yv29jfxdq44d7fxwks93qsw8w8iwbgdjwxni9zsxlj.nar\n"
      + "Compression: none\n"
      + "FileHash: sha256:11hap619k9yv29jfxdq44d7fxwks93qsw8w8iwbgdjwxni9zsxlj\n"
      + "FileSize: 120\n"
      + "NarHash: sha256:11hap619k9yv29jfxdq44d7fxwks93qsw8w8iwbgdjwxni9zsxlj\n"
      + "NarSize: 120\n"
      + "References: \n"
      + "CA: fixed:r:sha256:11hap619k9yv29jfxdq44d7fxwks93qsw8w8iwbgdjwxni9zsxlj\n";

  /** Refers to itself and to {@link #MADE_CONTENT_ADDRESSED_A}; its address is not its NAR hash. */
  public static final String MADE_CONTENT_ADDRESSED_B = ""
      + "StorePath: /nix/store/fs5z54vzjk9ivzszsfg1q7vm57py061i-ref-b-1.0\n"
      + "URL: nar/1qjis05sfn51ck7rcwsp6371zgr0mphgi9jmf83286c5gm1l36qv.nar\n"
      + "Compression: none\n"
      + "FileHash: sha256:1qjis05sfn51ck7rcwsp6371zgr0mphgi9jmf83286c5gm1l36qv\n"
      + "FileSize: 576\n"
      + "NarHash: sha256:1qjis05sfn51ck7rcwsp6371zgr0mphgi9jmf83286c5gm1l36qv\n"
      + "NarSize: 576\n"
      + "References: fs5z54vzjk9ivzszsfg1q7vm57py061i-ref-b-1.0 hyv91zvhf6ji7dhc2fvk9ybpfbnyp0g0-ref-a-1.0\n"
      + "CA: fixed:r:sha256:1chkwq1a3ip32p458j24csclrq0grwq1z12z32aydncbjmis69k3\n";

  public static final String DERIVATION = ""
      + "StorePath: /nix/store/7f4rp2jzf7xjbcxsfm04kxf8sj2sf1wf-ref-b-1.0.drv\n"
      + "URL: nar/0f8ddicilmd5xkv7r649w85xzmzzls6z97mvdq29j15md7mr5045.nar\n"
      + "Compression: none\n"
      + "FileHash: sha256:0f8ddicilmd5xkv7r649w85xzmzzls6z97mvdq29j15md7mr5045\n"
      + "FileSize: 552\n"
      + "NarHash: sha256:0f8ddicilmd5xkv7r649w85xzmzzls6z97mvdq29j15md7mr5045\n"
      + "NarSize: 552\n"
      + "References: fphfd3if90nswngq5ixk3qaa004p8q4f-ref-a-1.0.drv\n"
      + "CA: text:sha256:042vrzfmk93x2fmlg91a4m2zk3bk2yq5wwz2j3p0m8mh7x9gnrq4\n";

  /** The input-addressed original of {@link #MADE_CONTENT_ADDRESSED_B}: a real path that is not content-addressed. */
  public static final String INPUT_ADDRESSED_STORE_PATH = "/nix/store/yafwbn8vy3i6m3drfgmfvpdk6xamnj2a-ref-b-1.0";
}
