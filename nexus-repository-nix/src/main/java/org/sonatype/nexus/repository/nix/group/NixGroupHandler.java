package org.sonatype.nexus.repository.nix.group;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.annotation.Nonnull;
import javax.inject.Named;
import javax.inject.Singleton;

import org.sonatype.goodies.common.ComponentSupport;
import org.sonatype.nexus.repository.Repository;
import org.sonatype.nexus.repository.group.GroupFacet;
import org.sonatype.nexus.repository.group.GroupHandler.DispatchedRepositories;
import org.sonatype.nexus.repository.http.HttpResponses;
import org.sonatype.nexus.repository.nix.content.ContentEncodedUploads;
import org.sonatype.nexus.repository.nix.content.NarNames;
import org.sonatype.nexus.repository.nix.content.NixAssetKind;
import org.sonatype.nexus.repository.nix.content.NixAssetKindMatcher;
import org.sonatype.nexus.repository.nix.content.NixAssetPaths;
import org.sonatype.nexus.repository.nix.content.NixSettingsFacet;
import org.sonatype.nexus.repository.nix.content.UploadBodies;
import org.sonatype.nexus.repository.nix.http.NixResponses;
import org.sonatype.nexus.repository.nix.protocol.NixBase32;
import org.sonatype.nexus.repository.nix.protocol.StorePath;
import org.sonatype.nexus.repository.nix.protocol.narinfo.NarInfo;
import org.sonatype.nexus.repository.nix.signing.NixSigningFacet;
import org.sonatype.nexus.repository.view.Content;
import org.sonatype.nexus.repository.view.Context;
import org.sonatype.nexus.repository.view.Handler;
import org.sonatype.nexus.repository.view.Parameters;
import org.sonatype.nexus.repository.view.Payload;
import org.sonatype.nexus.repository.view.Request;
import org.sonatype.nexus.repository.view.Response;
import org.sonatype.nexus.repository.view.ViewFacet;
import org.sonatype.nexus.repository.view.payloads.BytesPayload;

import org.joda.time.DateTime;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.sonatype.nexus.repository.http.HttpMethods.DELETE;
import static org.sonatype.nexus.repository.http.HttpMethods.GET;
import static org.sonatype.nexus.repository.http.HttpMethods.HEAD;
import static org.sonatype.nexus.repository.http.HttpMethods.PUT;

/**
 * One URL over hosted, proxy and group members.
 *
 * Reads ask the members in order and the first that has the file answers. A member that fails (5xx) does not hide
 * a later member's answer, and a miss is a 404 only when no member failed: a failure is a 502, which Nix retries,
 * where a 404 would be remembered for an hour (unless the group's {@code nix.whenUpstreamFails} is
 * {@code notFound}). A member set to answer its upstream failures with 404 has its failure noted in the answer,
 * and the group answers 404 when that is all that failed.
 *
 * A narinfo is served with its NAR {@code URL} renamed to the content-derived name plus the store path's hash
 * ({@code nar/<file>?hash=<store hash>}), and a NAR request carrying that hash is answered by the member that has
 * that store path, with the NAR that member's narinfo names: a client never gets a narinfo from one member and a
 * NAR from another that does not match it.
 *
 * Writes go to the group's writable member, if it has one.
 */
@Named
@Singleton
public class NixGroupHandler
    extends ComponentSupport
    implements Handler
{
  public static final String HASH_PARAMETER = "hash";

  @Nonnull
  @Override
  public Response handle(@Nonnull final Context context) throws Exception {
    String method = context.getRequest().getAction();
    switch (method) {
      case GET:
      case HEAD:
        return read(context);
      case PUT:
      case DELETE:
        return write(context);
      default:
        return HttpResponses.methodNotAllowed(method, GET, HEAD, PUT, DELETE);
    }
  }

  private Response read(final Context context) throws Exception {
    NixAssetKind kind = NixAssetKindMatcher.assetKind(context);
    if (kind == NixAssetKind.NARINFO) {
      return narInfo(context);
    }
    if (kind == NixAssetKind.NAR) {
      String storeHash = context.getRequest().getParameters().get(HASH_PARAMETER);
      if (storeHash != null) {
        if (!StorePath.isValidHashPart(storeHash)) {
          // checked before any member is asked: it becomes a narinfo path in each of them
          return NixResponses.failure(400, "?" + HASH_PARAMETER + "= must be the 32-character hash part of a store "
              + "path (" + NixBase32.ALPHABET + "), as the group's narinfos give it");
        }
        return narOfStorePath(context, storeHash);
      }
    }
    return first(context, context.getRequest()).response;
  }

  /**
   * The first member's narinfo, with its URL pointing at this group and, if the group has a key, the group's
   * signature added to the member's.
   */
  private Response narInfo(final Context context) throws Exception {
    Answer answer = first(context, context.getRequest());
    if (!answer.found()) {
      return answer.response;
    }
    NixSigningFacet signing = context.getRepository().facet(NixSigningFacet.class);
    NarInfo narInfo = read(answer.response.getPayload(), context.getRepository());
    String url = NarNames.contentDerivedUrl(narInfo) + "?" + HASH_PARAMETER + "=" + narInfo.storePath().hashPart();
    byte[] text = signing.sign(narInfo.withUrl(url)).toText().getBytes(UTF_8);
    Content content = new Content(new BytesPayload(text, NixAssetKind.NARINFO.contentType()));
    if (answer.response.getPayload() instanceof Content) {
      DateTime lastModified =
          ((Content) answer.response.getPayload()).getAttributes().get(Content.CONTENT_LAST_MODIFIED, DateTime.class);
      if (lastModified != null) {
        content.getAttributes().set(Content.CONTENT_LAST_MODIFIED, signing.lastModified(lastModified));
      }
    }
    return HttpResponses.ok(content);
  }

  /**
   * The NAR of the store path with the given hash, from the first member that has that store path, under the name
   * that member's narinfo gives it.
   */
  private Response narOfStorePath(final Context context, final String storeHash) throws Exception {
    String wanted = context.getRequest().getPath().substring(1);
    Request narInfoRequest = derived(context.getRequest(), NixAssetPaths.narInfoPath(storeHash), GET);
    Failures failures = new Failures();
    for (Repository member : members(context)) {
      Response found = dispatch(member, narInfoRequest, context);
      if (!found.getStatus().isSuccessful()) {
        failures.note(member, found);
        continue;
      }
      NarInfo narInfo = read(found.getPayload(), context.getRepository());
      if (!NarNames.contentDerivedUrl(narInfo).equals(stripQuery(wanted))) {
        continue;
      }
      Request narRequest = derived(context.getRequest(), "/" + narInfo.url(), context.getRequest().getAction());
      Response nar = dispatch(member, narRequest, context);
      if (nar.getStatus().isSuccessful()) {
        return nar;
      }
      failures.note(member, nar);
    }
    return failures.miss(wanted);
  }

  /**
   * Asks the members in order; the first success answers.
   */
  private Answer first(final Context context, final Request request) throws Exception {
    DispatchedRepositories dispatched = request.getAttributes().getOrCreate(DispatchedRepositories.class);
    Failures failures = new Failures();
    for (Repository member : members(context)) {
      // nested groups share the request: never ask a repository twice, never loop
      if (dispatched.contains(member)) {
        continue;
      }
      dispatched.add(member);
      Response response = dispatch(member, request, context);
      if (response.getStatus().isSuccessful()) {
        return new Answer(response, true);
      }
      failures.note(member, response);
    }
    return new Answer(failures.miss(request.getPath().substring(1)), false);
  }

  /**
   * What went wrong in the members asked for one file: 5xx answers, and the 404s that members set to
   * {@code nix.whenUpstreamFails = notFound} answer for their upstream failures. A plain 404 is a miss, not a failure.
   */
  private static final class Failures
  {
    private final List<String> notes = new ArrayList<>();

    private boolean anyError;

    void note(final Repository member, final Response response) {
      int status = response.getStatus().getCode();
      Optional<String> upstreamFailure = NixResponses.upstreamFailure(response);
      if (status >= 500) {
        anyError = true;
        notes.add("member '" + member.getName() + "' failed (" + status + " "
            + upstreamFailure.orElse(String.valueOf(response.getStatus().getMessage())) + ")");
      }
      else if (upstreamFailure.isPresent()) {
        notes.add("member '" + member.getName() + "' failed (" + upstreamFailure.get() + ") and answers 404 for "
            + "that, as its nix.whenUpstreamFails is notFound");
      }
    }

    /** The answer for a file no member had. */
    Response miss(final String path) {
      if (notes.isEmpty()) {
        return NixResponses.notFound(path + " is in none of the group's members");
      }
      String what = path + " is in none of the members that answered, and " + String.join("; ", notes);
      if (anyError) {
        return NixResponses.upstreamFailure(502, what);
      }
      // the members that failed chose 404 for that: so does the group (its own setting decides for errors)
      return NixResponses.markedAsUpstreamFailure(NixResponses.notFound(what), what);
    }
  }

  private Response write(final Context context) throws Exception {
    Optional<Repository> writable = context.getRepository().facet(NixGroupFacet.class).writableMember();
    if (writable.isEmpty()) {
      return NixResponses.failure(405, "group '" + context.getRepository().getName()
          + "' takes no uploads: it has no writable member (set nix.writableMember to one of its nix-hosted members)");
    }
    return dispatch(writable.get(), withoutGroupSignatures(context, decoded(context)), context);
  }

  /**
   * The request with its body decoded when it came with a {@code Content-Encoding} (a 415 for one that cannot be):
   * the group reads narinfos itself, and its member must not decode them again.
   */
  private static Request decoded(final Context context) {
    Request request = context.getRequest();
    if (!PUT.equals(request.getAction())) {
      return request;
    }
    Payload body = ContentEncodedUploads.decoded(request, context.getAttributes().get(NixAssetKind.class));
    return body == request.getPayload() ? request : ContentEncodedUploads.withDecodedBody(request, body);
  }

  /**
   * A narinfo PUT through a signing group loses the group's own signatures: a client that signs what the group
   * served and PUTs it back sends the group's signature along, which, stored in the member, would outlive a rotation
   * of the group's key and go on being served as the group's.
   */
  private static Request withoutGroupSignatures(final Context context, final Request request) throws IOException {
    NixSigningFacet signing = context.getRepository().facet(NixSigningFacet.class);
    // nix-cache-info PUTs come this way too, without an asset kind
    if (!PUT.equals(request.getAction()) || context.getAttributes().get(NixAssetKind.class) != NixAssetKind.NARINFO
        || !signing.publicKey().isPresent()) {
      return request;
    }
    NarInfo uploaded;
    try (Payload body = request.getPayload()) {
      uploaded = NarInfo.parse(UploadBodies.readText(body, UploadBodies.MAX_NARINFO_BYTES, "narinfo"),
          context.getRepository().facet(NixSettingsFacet.class).storeDir());
    }
    byte[] text = signing.withoutOwnSignatures(uploaded).toText().getBytes(UTF_8);
    return new Request.Builder().copy(request)
        .payload(new BytesPayload(text, NixAssetKind.NARINFO.contentType()))
        .build();
  }

  private static List<Repository> members(final Context context) {
    return context.getRepository().facet(GroupFacet.class).members();
  }

  private static Response dispatch(final Repository member, final Request request, final Context context)
      throws Exception
  {
    return member.facet(ViewFacet.class).dispatch(request, context);
  }

  /**
   * The same request for another path of a member ({@code path} may carry a query, as a nested group's NAR URLs do).
   */
  private static Request derived(final Request request, final String path, final String action) {
    Request.Builder builder = new Request.Builder().copy(request).action(action);
    int query = path.indexOf('?');
    if (query < 0) {
      return builder.path(path).build();
    }
    Parameters parameters = new Parameters();
    for (String pair : path.substring(query + 1).split("&")) {
      int equals = pair.indexOf('=');
      if (equals > 0) {
        parameters.set(pair.substring(0, equals), pair.substring(equals + 1));
      }
    }
    return builder.path(path.substring(0, query)).parameters(parameters).build();
  }

  private static NarInfo read(final Payload payload, final Repository group) throws IOException {
    try (Payload body = payload) {
      return NarInfo.parse(UploadBodies.readText(body, UploadBodies.MAX_NARINFO_BYTES, "member narinfo"),
          group.facet(NixSettingsFacet.class).storeDir());
    }
  }

  private static String stripQuery(final String path) {
    int query = path.indexOf('?');
    return query < 0 ? path : path.substring(0, query);
  }

  private static final class Answer
  {
    private final Response response;

    private final boolean found;

    private Answer(final Response response, final boolean found) {
      this.response = response;
      this.found = found;
    }

    private boolean found() {
      return found;
    }
  }
}
