package org.sonatype.nexus.repository.nix.content;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Stream;

import javax.inject.Named;

import org.sonatype.nexus.repository.FacetSupport;
import org.sonatype.nexus.repository.content.Asset;
import org.sonatype.nexus.repository.content.Component;
import org.sonatype.nexus.repository.content.fluent.FluentAsset;
import org.sonatype.nexus.repository.content.fluent.FluentComponent;
import org.sonatype.nexus.repository.content.maintenance.ContentMaintenanceFacet;

/**
 * Deletes from the UI, the REST API and cleanup, done the way a binary cache must: a store path goes as a whole
 * (narinfo, listing and NAR together), and a NAR another narinfo still uses is never deleted.
 */
@Named
public class NixMaintenanceFacet
    extends FacetSupport
    implements ContentMaintenanceFacet
{
  @Override
  public Set<String> deleteComponent(final Component component) {
    NixContentFacet content = content();
    FluentComponent fluent = content.components().with(component);
    Set<String> deleted = new LinkedHashSet<>();
    for (FluentAsset asset : fluent.assets(false)) {
      deleted.addAll(deleteAsset(asset));
    }
    // whatever the store paths left behind (a NAR still used elsewhere) keeps the component alive
    if (content.components().with(component).assets(false).isEmpty()) {
      fluent.delete();
    }
    return deleted;
  }

  @Override
  public Set<String> deleteAsset(final Asset asset) {
    NixContentFacet content = content();
    Set<String> deleted = new LinkedHashSet<>();
    NixAssetKind kind = NixAssetKind.forKind(asset.kind()).orElse(null);
    if (kind == NixAssetKind.NARINFO) {
      deleted.addAll(content.deleteStorePath(NixAssetPaths.storeHash(asset.path())));
    }
    else if (kind == NixAssetKind.NAR) {
      // a NAR goes with every store path that points at it: a narinfo without its NAR is a broken substitute
      for (String narInfoPath : content.narInfosUsing(asset.path(), Integer.MAX_VALUE)) {
        deleted.addAll(content.deleteStorePath(NixAssetPaths.storeHash(narInfoPath)));
      }
      if (content.deleteFile(asset.path())) {
        deleted.add(asset.path());
      }
    }
    else if (content.deleteFile(asset.path())) {
      deleted.add(asset.path());
    }
    return deleted;
  }

  @Override
  public int deleteComponents(final Stream<FluentComponent> components) {
    int[] count = {0};
    components.forEach(component -> {
      deleteComponent(component);
      count[0]++;
    });
    return count[0];
  }

  private NixContentFacet content() {
    return facet(NixContentFacet.class);
  }
}
