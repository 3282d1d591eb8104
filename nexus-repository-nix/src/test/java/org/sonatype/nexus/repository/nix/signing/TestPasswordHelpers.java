package org.sonatype.nexus.repository.nix.signing;

import org.sonatype.nexus.crypto.internal.CryptoHelperImpl;
import org.sonatype.nexus.crypto.internal.MavenCipherImpl;
import org.sonatype.nexus.crypto.maven.MavenCipher;
import org.sonatype.nexus.security.PasswordHelper;

/**
 * Nexus's {@link PasswordHelper} as a test builds it, with the legacy phrase: its {@code PhraseService} is in
 * {@code org.sonatype.nexus.security} up to Nexus 3.76 and in {@code org.sonatype.nexus.crypto} from 3.77, and the
 * unit tests build against both (see nexus-repository-nix-3.77).
 */
public final class TestPasswordHelpers
{
  private static final String[] PHRASE_SERVICES = {
      "org.sonatype.nexus.security.PhraseService", "org.sonatype.nexus.crypto.PhraseService"};

  private TestPasswordHelpers() {
  }

  public static PasswordHelper withLegacyPhrase() {
    for (String name : PHRASE_SERVICES) {
      try {
        Class<?> phraseService = Class.forName(name);
        return PasswordHelper.class.getConstructor(MavenCipher.class, phraseService)
            .newInstance(new MavenCipherImpl(new CryptoHelperImpl()),
                phraseService.getField("LEGACY_PHRASE_SERVICE").get(null));
      }
      catch (ClassNotFoundException e) {
        // the other release's package
      }
      catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException("no PhraseService in " + String.join(" or ", PHRASE_SERVICES));
  }
}
