package org.sonatype.nexus.repository.nix.tasks;

import javax.inject.Named;
import javax.inject.Singleton;

import org.sonatype.nexus.common.upgrade.AvailabilityVersion;
import org.sonatype.nexus.formfields.CheckboxFormField;
import org.sonatype.nexus.formfields.RepositoryCombobox;
import org.sonatype.nexus.repository.nix.NixFormat;
import org.sonatype.nexus.repository.types.HostedType;
import org.sonatype.nexus.repository.types.ProxyType;
import org.sonatype.nexus.scheduling.TaskDescriptorSupport;

import static org.sonatype.nexus.formfields.FormField.OPTIONAL;

/**
 * "Nix - Verify repository integrity", for one Nix repository or all of them.
 */
@AvailabilityVersion(from = "1.0")
@Named
@Singleton
public class NixIntegrityTaskDescriptor
    extends TaskDescriptorSupport
{
  public static final String TYPE_ID = "repository.nix.integrity";

  public static final String REPOSITORY_NAME_FIELD_ID = "repositoryName";

  public static final String VERIFY_NAR_HASHES_FIELD_ID = "verifyNarHashes";

  public static final String REPAIR_FIELD_ID = "repair";

  public NixIntegrityTaskDescriptor() {
    super(TYPE_ID,
        NixIntegrityTask.class,
        "Nix - Verify repository integrity",
        VISIBLE,
        EXPOSED,
        new RepositoryCombobox(
            REPOSITORY_NAME_FIELD_ID,
            "Repository",
            "The Nix repository to check",
            true
        ).includingAnyOfFormats(NixFormat.NAME).includingAnyOfTypes(HostedType.NAME, ProxyType.NAME)
            .includeAnEntryForAllRepositories(),
        new CheckboxFormField(
            VERIFY_NAR_HASHES_FIELD_ID,
            "Verify NAR hashes",
            "Read and decompress every NAR and check it against its narinfo's NarHash and NarSize "
                + "(reads all content; without it only sizes, recorded hashes and presence are checked)",
            OPTIONAL
        ),
        new CheckboxFormField(
            REPAIR_FIELD_ID,
            "Repair",
            "Remove store paths whose NAR is missing or wrong, together with every store path that depends on "
                + "them, so clients build them instead of failing to substitute",
            OPTIONAL
        )
    );
  }
}
