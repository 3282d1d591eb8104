package org.sonatype.nexus.repository.nix.search;

import java.util.List;

import javax.inject.Named;
import javax.inject.Singleton;

import org.sonatype.goodies.common.ComponentSupport;
import org.sonatype.nexus.repository.nix.NixFormat;
import org.sonatype.nexus.repository.rest.SearchMapping;
import org.sonatype.nexus.repository.rest.SearchMappings;

import com.google.common.collect.ImmutableList;

import static org.sonatype.nexus.repository.rest.sql.SearchField.FORMAT_FIELD_1;
import static org.sonatype.nexus.repository.rest.sql.SearchField.FORMAT_FIELD_2;
import static org.sonatype.nexus.repository.rest.sql.SearchField.FORMAT_FIELD_3;

/**
 * Nix search parameters: {@code GET /service/rest/v1/search?format=nix&nix.storeHash=...} finds the component of a
 * store path from the hash part Nix prints, or from its full store path.
 */
@Named(NixFormat.NAME)
@Singleton
public class NixSearchMappings
    extends ComponentSupport
    implements SearchMappings
{
  private static final List<SearchMapping> MAPPINGS = ImmutableList.of(
      new SearchMapping("nix.storeHash", "assets.attributes.nix.storeHash", "Nix store path hash part",
          FORMAT_FIELD_1),
      new SearchMapping("nix.storePath", "assets.attributes.nix.storePath", "Nix store path", FORMAT_FIELD_2),
      new SearchMapping("nix.narHash", "assets.attributes.nix.narHash", "NAR hash (sha256:<nix32>)",
          FORMAT_FIELD_3));

  @Override
  public Iterable<SearchMapping> get() {
    return MAPPINGS;
  }
}
