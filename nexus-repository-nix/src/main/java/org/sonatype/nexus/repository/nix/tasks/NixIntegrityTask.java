package org.sonatype.nexus.repository.nix.tasks;

import javax.inject.Named;

import org.sonatype.nexus.repository.Repository;
import org.sonatype.nexus.repository.RepositoryTaskSupport;
import org.sonatype.nexus.repository.content.AttributeOperation;
import org.sonatype.nexus.repository.nix.NixFormat;
import org.sonatype.nexus.repository.nix.content.NixContentFacet;
import org.sonatype.nexus.repository.types.GroupType;
import org.sonatype.nexus.repository.types.ProxyType;
import org.sonatype.nexus.scheduling.Cancelable;

import static org.sonatype.nexus.repository.nix.tasks.NixIntegrityTaskDescriptor.REPAIR_FIELD_ID;
import static org.sonatype.nexus.repository.nix.tasks.NixIntegrityTaskDescriptor.VERIFY_NAR_HASHES_FIELD_ID;

/**
 * Runs an {@link IntegrityCheck} on each selected Nix repository, logging progress and problems to the task log and
 * keeping the report as the repository's last integrity report.
 */
@Named
public class NixIntegrityTask
    extends RepositoryTaskSupport
    implements Cancelable
{
  /** Content repository attribute holding the last report. */
  public static final String LAST_REPORT = "nixIntegrityReport";

  @Override
  protected void execute(final Repository repository) {
    boolean verify = getConfiguration().getBoolean(VERIFY_NAR_HASHES_FIELD_ID, false);
    boolean repair = getConfiguration().getBoolean(REPAIR_FIELD_ID, false);
    log.info("Checking the integrity of {}{}{}", repository.getName(), verify ? ", verifying NAR hashes" : "",
        repair ? ", repairing" : "");
    NixContentFacet content = repository.facet(NixContentFacet.class);
    boolean proxy = ProxyType.NAME.equals(repository.getType().getValue());
    IntegrityReport report = new IntegrityCheck(content, repository.getName(), verify, repair, proxy).run();
    content.attributes(AttributeOperation.SET, LAST_REPORT, report.toMap());
  }

  @Override
  protected boolean appliesTo(final Repository repository) {
    return NixFormat.NAME.equals(repository.getFormat().getValue())
        && !GroupType.NAME.equals(repository.getType().getValue());
  }

  @Override
  public String getMessage() {
    return "Verifying the integrity of Nix repository " + getRepositoryField();
  }
}
