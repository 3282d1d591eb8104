package org.sonatype.nexus.repository.nix.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The one {@link ObjectMapper} of the suite, with unchecked helpers so tests stay free of
 * {@code throws} noise.
 */
public final class Json
{
  public static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {
  }

  public static JsonNode parse(final String json) {
    try {
      return MAPPER.readTree(json);
    }
    catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + abbreviate(json), e);
    }
  }

  /** Strings pass through unchanged (already JSON); anything else is serialized. */
  public static String write(final Object value) {
    if (value instanceof String) {
      return (String) value;
    }
    try {
      return MAPPER.writeValueAsString(value);
    }
    catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  static String abbreviate(final String s) {
    return s == null || s.length() <= 2000 ? s : s.substring(0, 2000) + "... (" + s.length() + " chars)";
  }
}
