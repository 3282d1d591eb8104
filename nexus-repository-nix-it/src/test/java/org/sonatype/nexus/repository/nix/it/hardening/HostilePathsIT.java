package org.sonatype.nexus.repository.nix.it.hardening;

import java.io.OutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.sonatype.nexus.repository.nix.it.support.Names;
import org.sonatype.nexus.repository.nix.it.support.NexusRest;
import org.sonatype.nexus.repository.nix.it.support.NexusServer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Request paths meant to escape the routes (traversal in every spelling, absolute URLs, very long and non-ASCII
 * paths), each sent as GET, HEAD, PUT and DELETE: all 4xx, nothing stored, nothing read from outside the blob store. (A doubled slash or a query string
 * are not hostile: Jetty folds the one, Nix's own requests carry the other, and both name legitimate files.)
 */
class HostilePathsIT
{
  private static final List<String> PATHS = List.of(
      "/../../../../etc/passwd",
      "/nar/../../../../etc/passwd",
      "/nar/..%2f..%2f..%2f..%2fetc%2fpasswd",
      "/nar/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
      "/nar/%252e%252e/%252e%252e/etc/passwd",
      "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
      "/nar/.%2E/.%2E/etc/passwd",
      "/nar/..\\..\\..\\etc\\passwd",
      "/nar/%5c..%5c..%5cetc%5cpasswd",
      "/log/..%2F..%2F..%2Fetc%2Fpasswd",
      "/realisations/..%2f..%2fetc%2fpasswd.doi",
      "/debuginfo/../../etc/passwd",
      "/nar/http://example.invalid/x.nar",
      "/nar/http:%2f%2fexample.invalid%2fx.nar",
      "//etc/passwd",
      "/nar/x.nar%00.narinfo",
      "/nar/%00",
      "/nar/" + "a".repeat(260) + ".nar",
      "/" + "b".repeat(5000) + ".narinfo",
      "/nar/" + "c".repeat(20000) + ".nar",
      "/nar/%C3%A9t%C3%A9.nar",
      "/nar/\u00e9t\u00e9.nar",
      "/log/%E2%80%AE.drv",
      "/nar/%ff%fe.nar",
      "/nix-cache-info/../etc/passwd",
      "/nar/x.nar;jsessionid=1");

  private static final List<String> METHODS = List.of("GET", "HEAD", "PUT", "DELETE");

  @Test
  void hostilePathsAreClientErrorsAndStoreNothing() throws Exception {
    NexusServer nexus = NexusServer.get();
    String repository = Names.unique("hosted-paths");
    String url = nexus.rest().createNixHosted(repository);
    URI base = URI.create(url);

    List<String> wrong = new ArrayList<>();
    Map<String, Integer> sent = new TreeMap<>();
    for (String path : PATHS) {
      for (String method : METHODS) {
        Answer answer = send(base, method, base.getRawPath() + path, nexus.adminPassword());
        sent.merge(answer.method, 1, Integer::sum);
        if (answer.status < 400 || answer.status > 499 || answer.body.contains("root:x:0:0")) {
          wrong.add(method + " " + abbreviate(path) + " -> " + answer.status);
        }
      }
    }

    assertThat(wrong).isEmpty();
    // every method really went out, as its own request line
    assertThat(sent).containsOnlyKeys(METHODS)
        .allSatisfy((method, count) -> assertThat(count).as(method).isEqualTo(PATHS.size()));
    assertThat(nexus.rest().get("/service/rest/v1/assets?repository=" + repository).expect(200).json()
        .get("items")).isEmpty();
  }

  /** What was sent (read back from the request line) and what came back. */
  private record Answer(String method, int status, String body)
  {
  }

  /** Sends the request line exactly as given (no client-side normalisation), with a small body for PUT. */
  private static Answer send(final URI base, final String method, final String rawPath, final String password)
      throws Exception
  {
    byte[] body = method.equals("PUT") ? "not a nix file".getBytes(StandardCharsets.UTF_8) : new byte[0];
    String head = method + " " + rawPath + " HTTP/1.1\r\n"
        + "Host: " + base.getHost() + ":" + base.getPort() + "\r\n"
        + "Authorization: " + NexusRest.basicAuth("admin", password) + "\r\n"
        + "Content-Length: " + body.length + "\r\n"
        + "Connection: close\r\n\r\n";
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      try {
        out.write(head.getBytes(StandardCharsets.UTF_8));
        out.write(body);
        out.flush();
      }
      catch (java.io.IOException e) {
        // the server answered (and closed) before reading the request to its end, e.g. 414 URI Too Long
      }
      InputStream in = socket.getInputStream();
      String response;
      try {
        response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      }
      catch (java.net.SocketException e) {
        response = "";
      }
      String statusLine = response.isEmpty() ? "" : response.substring(0, response.indexOf('\r'));
      // a connection closed without any answer counts as a refusal only if nothing was stored (checked after)
      int status = statusLine.isEmpty() ? 400 : Integer.parseInt(statusLine.split(" ")[1]);
      return new Answer(head.substring(0, head.indexOf(' ')), status, response);
    }
  }

  private static String abbreviate(final String path) {
    return path.length() > 60 ? path.substring(0, 60) + "...(" + path.length() + " chars)" : path;
  }
}
