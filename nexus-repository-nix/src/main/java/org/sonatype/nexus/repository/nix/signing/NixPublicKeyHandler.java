package org.sonatype.nexus.repository.nix.signing;

import java.util.Optional;

import javax.annotation.Nonnull;
import javax.inject.Named;
import javax.inject.Singleton;

import org.sonatype.nexus.repository.Repository;
import org.sonatype.nexus.repository.http.HttpResponses;
import org.sonatype.nexus.repository.nix.http.NixResponses;
import org.sonatype.nexus.repository.nix.protocol.NixPublicKey;
import org.sonatype.nexus.repository.view.Context;
import org.sonatype.nexus.repository.view.Handler;
import org.sonatype.nexus.repository.view.Response;
import org.sonatype.nexus.repository.view.payloads.StringPayload;

import static org.sonatype.nexus.repository.http.HttpMethods.GET;
import static org.sonatype.nexus.repository.http.HttpMethods.HEAD;

/**
 * {@code GET <repository>/nix-public-key}: the repository's public key as one {@code name:base64} line, ready for
 * {@code trusted-public-keys}; 404 when the repository has no key.
 */
@Named
@Singleton
public class NixPublicKeyHandler
    implements Handler
{
  public static final String PATH = "/nix-public-key";

  @Nonnull
  @Override
  public Response handle(@Nonnull final Context context) throws Exception {
    String method = context.getRequest().getAction();
    if (!GET.equals(method) && !HEAD.equals(method)) {
      return HttpResponses.methodNotAllowed(method, GET, HEAD);
    }
    Repository repository = context.getRepository();
    Optional<NixPublicKey> key = repository.optionalFacet(NixSigningFacet.class).flatMap(NixSigningFacet::publicKey);
    if (!key.isPresent()) {
      return NixResponses.notFound("repository '" + repository.getName() + "' has no signing key");
    }
    return HttpResponses.ok(new StringPayload(key.get().toText() + "\n", "text/plain; charset=utf-8"));
  }
}
