package org.sonatype.nexus.repository.nix.protocol;

/**
 * Nix protocol text (a hash, a store path, a narinfo, a key...) that does not follow the rules Nix applies.
 * The message always names what was wrong and, where there is one, the field or line.
 *
 * An {@link IllegalArgumentException} so that callers validating user input can treat it like any other bad
 * argument, and so that it never needs declaring.
 */
public class NixFormatException
    extends IllegalArgumentException
{
  private static final long serialVersionUID = 1L;

  public NixFormatException(final String message) {
    super(message);
  }

  public NixFormatException(final String message, final Throwable cause) {
    super(message, cause);
  }
}
