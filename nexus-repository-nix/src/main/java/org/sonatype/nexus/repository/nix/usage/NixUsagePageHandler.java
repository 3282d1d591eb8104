package org.sonatype.nexus.repository.nix.usage;

import java.util.Locale;
import java.util.Map.Entry;

import javax.annotation.Nonnull;
import javax.inject.Inject;
import javax.inject.Named;
import javax.inject.Singleton;

import org.sonatype.nexus.common.app.BaseUrlHolder;
import org.sonatype.nexus.repository.Repository;
import org.sonatype.nexus.repository.http.HttpResponses;
import org.sonatype.nexus.repository.view.Context;
import org.sonatype.nexus.repository.view.Handler;
import org.sonatype.nexus.repository.view.Headers;
import org.sonatype.nexus.repository.view.Matcher;
import org.sonatype.nexus.repository.view.Response;
import org.sonatype.nexus.repository.view.payloads.StringPayload;

import static com.google.common.base.Preconditions.checkNotNull;
import static org.sonatype.nexus.repository.http.HttpMethods.GET;
import static org.sonatype.nexus.repository.http.HttpMethods.HEAD;

/**
 * {@code GET <repository URL>/} from a browser: a page with the repository's client setup (see {@link ClientSetup}),
 * instead of a "404 Not Found". Only requests that accept {@code text/html} get it; Nix never requests this URL, and
 * every other client gets the 404 it always got. The route puts Nexus's security handler first: the page needs the
 * repository's read privilege.
 */
@Named
@Singleton
public class NixUsagePageHandler
    implements Handler
{
  /** {@code GET} or {@code HEAD} of the repository's own URL, from a client that asks for HTML. */
  public static final Matcher MATCHER = context -> {
    String method = context.getRequest().getAction();
    String path = context.getRequest().getPath();
    return (GET.equals(method) || HEAD.equals(method)) && ("/".equals(path) || path.isEmpty())
        && acceptsHtml(context.getRequest().getHeaders());
  };

  private final ClientSetups clientSetups;

  @Inject
  public NixUsagePageHandler(final ClientSetups clientSetups) {
    this.clientSetups = checkNotNull(clientSetups);
  }

  @Nonnull
  @Override
  public Response handle(@Nonnull final Context context) {
    Repository repository = context.getRepository();
    String baseUrl = BaseUrlHolder.get();
    ClientSetup setup = clientSetups.forRepository(repository, baseUrl, null);
    String browseUrl = baseUrl + "/#browse/browse:" + repository.getName();
    return HttpResponses.ok(new StringPayload(UsagePage.render(setup, browseUrl), "text/html; charset=utf-8"));
  }

  /** Whether an Accept header names {@code text/html} (browsers do; curl and Nix send none, or {@code *}/{@code *}). */
  private static boolean acceptsHtml(final Headers headers) {
    // header names are as the client spelled them
    for (Entry<String, String> header : headers) {
      if ("Accept".equalsIgnoreCase(header.getKey()) && acceptsHtml(header.getValue())) {
        return true;
      }
    }
    return false;
  }

  static boolean acceptsHtml(final String accept) {
    for (String range : accept.split(",")) {
      String[] parts = range.split(";");
      String type = parts[0].trim().toLowerCase(Locale.ROOT);
      if ("text/html".equals(type) && !hasZeroQuality(parts)) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasZeroQuality(final String[] parameters) {
    for (int i = 1; i < parameters.length; i++) {
      String parameter = parameters[i].trim().toLowerCase(Locale.ROOT).replace(" ", "");
      if (parameter.matches("q=0(\\.0*)?")) {
        return true;
      }
    }
    return false;
  }
}
