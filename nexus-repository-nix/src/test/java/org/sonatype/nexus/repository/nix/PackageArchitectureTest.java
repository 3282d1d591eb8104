package org.sonatype.nexus.repository.nix;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
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

  @BeforeAll
  static void importMainClasses() {
    classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages(NIX);
  }

  /** The unit tests share one small heap: the class graph is not kept for the tests that run after these. */
  @AfterAll
  static void forgetClasses() {
    classes = null;
  }

  @Test
  void noPackageDependsOnItselfThroughOthers() {
    slices().matching(NIX + ".(*)..").should().beFreeOfCycles().check(classes);
  }

  @Test
  void dependenciesPointDownTheLayersOnly() {
    layers().check(classes);
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
        .layer("content").definedBy(NIX + ".content..")
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
        .whereLayer("content").mayOnlyAccessLayers("protocol", "platform")
        .whereLayer("signing").mayOnlyAccessLayers("protocol", "platform", "content")
        .whereLayer("upload").mayOnlyAccessLayers("protocol", "platform", "content")
        .whereLayer("hosted").mayOnlyAccessLayers("protocol", "platform", "content", "signing")
        .whereLayer("proxy").mayOnlyAccessLayers("protocol", "platform", "content", "signing")
        .whereLayer("group").mayOnlyAccessLayers("protocol", "platform", "content", "signing")
        .whereLayer("channels").mayOnlyAccessLayers("protocol", "platform", "content", "upload", "proxy", "group")
        .whereLayer("flakes").mayOnlyAccessLayers("protocol", "platform", "content", "upload", "proxy", "group")
        .whereLayer("tasks").mayOnlyAccessLayers("protocol", "platform", "content")
        .whereLayer("usage").mayOnlyAccessLayers("protocol", "platform", "content", "signing", "proxy", "group",
            "channels", "flakes")
        .whereLayer("rest").mayOnlyAccessLayers("protocol", "platform", "content", "signing", "hosted", "proxy",
            "group", "channels", "flakes", "tasks", "usage")
        .whereLayer("ui").mayOnlyAccessLayers("platform", "content", "signing", "rest")
        .whereLayer("recipe").mayOnlyAccessLayers("protocol", "platform", "content", "signing", "upload", "hosted",
            "proxy", "group", "channels", "flakes", "usage");
  }
}
