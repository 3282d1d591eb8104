package org.sonatype.nexus.repository.nix;

import java.net.URISyntaxException;
import java.nio.file.Paths;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package graph of ARCHITECTURE.md, checked on the compiled main classes: no cycle, dependencies point down the
 * layers only, and {@code protocol} is pure Nix logic that knows nothing of Nexus.
 */
class PackageArchitectureTest
{
  private static final String NIX = "org.sonatype.nexus.repository.nix";

  private static JavaClasses classes;

  /**
   * The main classes, read from the directory they were compiled to: not from the package as the class path has it,
   * which would open every jar on it (Nexus's API is hundreds) and leave them cached in the unit tests' small heap.
   */
  @BeforeAll
  static void importMainClasses() throws URISyntaxException {
    classes = new ClassFileImporter()
        .importPath(Paths.get(NixFormat.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
  }

  /** The unit tests share one small heap: the class graph is not kept for the tests that run after these. */
  @AfterAll
  static void forgetClasses() {
    classes = null;
  }

  @Test
  void noPackageDependsOnItselfThroughOthers() {
    // every package its own slice, sub-packages included (protocol.narinfo and protocol are two)
    slices().matching(NIX + ".(**)").should().beFreeOfCycles().check(classes);
  }

  @Test
  void dependenciesPointDownTheLayersOnly() {
    layers().check(classes);
  }

  @Test
  void protocolsConcernsDependDownwardOnly() {
    protocolLayers().check(classes);
  }

  @Test
  void protocolUsesOnlyTheJdkAndItsDecodingLibraries() {
    noClasses().that().resideInAPackage(NIX + ".protocol..")
        .should().dependOnClassesThat().resideOutsideOfPackages(
            NIX + ".protocol..",
            "java..",
            // @Nullable and friends: annotations, no behaviour
            "javax.annotation..",
            // the formats protocol reads: tarballs and compressed streams, JSON (flake registries, listings)
            "org.apache.commons.compress..",
            "org.tukaani.xz..",
            "com.github.luben.zstd..",
            "org.brotli.dec..",
            "com.fasterxml.jackson..")
        .because("protocol is pure Nix logic: no Nexus types, no injection, testable without a server")
        .check(classes);
  }

  @Test
  void onlyContentKnowsTheContentFacetsImplementation() {
    noClasses().that().resideOutsideOfPackage(NIX + ".content..")
        .should().dependOnClassesThat().haveFullyQualifiedName(NIX + ".content.NixContentFacetImpl")
        .because("features use the NixContentFacet contract; the write rule is WritePolicyRule, not a downcast")
        .check(classes);
  }

  /**
   * Bottom to top. A layer may use the layers it names and its own package; the root package ({@link NixFormat})
   * is open to all.
   */
  private static LayeredArchitecture layers() {
    return layeredArchitecture()
        .consideringOnlyDependenciesInLayers()
        .layer("protocol").definedBy(NIX + ".protocol..")
        .layer("platform").definedBy(NIX + ".store..", NIX + ".secrets..", NIX + ".security..", NIX + ".search..",
            NIX + ".cleanup..")
        .layer("http").definedBy(NIX + ".http..")
        .layer("content").definedBy(NIX + ".content..")
        .layer("maintenance").definedBy(NIX + ".maintenance..")
        .layer("signing").definedBy(NIX + ".signing..")
        .layer("upload").definedBy(NIX + ".upload..")
        .layer("hosted").definedBy(NIX + ".hosted..")
        .layer("proxy").definedBy(NIX + ".proxy..")
        .layer("group").definedBy(NIX + ".group..")
        .layer("channels").definedBy(NIX + ".channels..")
        .layer("flakes").definedBy(NIX + ".flakes..")
        .layer("tasks").definedBy(NIX + ".tasks..")
        .layer("usage").definedBy(NIX + ".usage..")
        .layer("rest").definedBy(NIX + ".rest..")
        .layer("ui").definedBy(NIX + ".ui..")
        .layer("recipe").definedBy(NIX + ".recipe..")

        .whereLayer("protocol").mayNotAccessAnyLayer()
        .whereLayer("platform").mayOnlyAccessLayers("platform")
        .whereLayer("http").mayOnlyAccessLayers("protocol", "platform")
        .whereLayer("content").mayOnlyAccessLayers("protocol", "platform", "http")
        .whereLayer("maintenance").mayOnlyAccessLayers("protocol", "platform", "http", "content")
        .whereLayer("signing").mayOnlyAccessLayers("protocol", "platform", "http", "content")
        .whereLayer("upload").mayOnlyAccessLayers("protocol", "platform", "http", "content")
        .whereLayer("hosted").mayOnlyAccessLayers("protocol", "platform", "http", "content", "signing")
        .whereLayer("proxy").mayOnlyAccessLayers("protocol", "platform", "http", "content", "signing")
        .whereLayer("group").mayOnlyAccessLayers("protocol", "platform", "http", "content", "signing")
        .whereLayer("channels").mayOnlyAccessLayers("protocol", "platform", "http", "content", "upload", "proxy",
            "group")
        .whereLayer("flakes").mayOnlyAccessLayers("protocol", "platform", "http", "content", "upload", "proxy",
            "group")
        .whereLayer("tasks").mayOnlyAccessLayers("protocol", "platform", "http", "content", "maintenance")
        .whereLayer("usage").mayOnlyAccessLayers("protocol", "platform", "http", "content", "signing", "proxy",
            "group", "channels", "flakes")
        .whereLayer("rest").mayOnlyAccessLayers("protocol", "platform", "http", "content", "maintenance",
            "signing", "hosted", "proxy", "group", "channels", "flakes", "tasks", "usage")
        .whereLayer("ui").mayOnlyAccessLayers("platform", "http", "content", "signing", "rest")
        .whereLayer("recipe").mayOnlyAccessLayers("protocol", "platform", "http", "content", "maintenance",
            "signing", "upload", "hosted", "proxy", "group", "channels", "flakes", "usage");
  }

  /**
   * Inside protocol, bottom to top: the vocabulary (hashes, store paths, names, keys), compression streams, then
   * tarballs and narinfos, NARs, and channels and flakes, which use them.
   */
  private static LayeredArchitecture protocolLayers() {
    String protocol = NIX + ".protocol";
    return layeredArchitecture()
        .consideringOnlyDependenciesInLayers()
        .layer("vocabulary").definedBy(protocol)
        .layer("compression").definedBy(protocol + ".compression..")
        .layer("tar").definedBy(protocol + ".tar..")
        .layer("narinfo").definedBy(protocol + ".narinfo..")
        .layer("nar").definedBy(protocol + ".nar..")
        .layer("channels").definedBy(protocol + ".channels..")
        .layer("flakes").definedBy(protocol + ".flakes..")

        .whereLayer("vocabulary").mayNotAccessAnyLayer()
        .whereLayer("compression").mayOnlyAccessLayers("vocabulary")
        .whereLayer("tar").mayOnlyAccessLayers("vocabulary", "compression")
        .whereLayer("narinfo").mayOnlyAccessLayers("vocabulary", "compression")
        .whereLayer("nar").mayOnlyAccessLayers("vocabulary", "compression", "tar", "narinfo")
        .whereLayer("channels").mayOnlyAccessLayers("vocabulary", "compression", "tar")
        .whereLayer("flakes").mayOnlyAccessLayers("vocabulary", "compression", "tar", "nar");
  }
}
