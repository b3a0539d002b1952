package io.github.drsretrybatcher.ingest;

import io.github.drsretrybatcher.event.DeadLetterCode;
import io.github.drsretrybatcher.event.DeadLetterException;
import io.github.drsretrybatcher.event.TaskFailed;
import java.util.Optional;
import java.util.Set;

/** The operator's allow-lists: an event must not make the service act on a project or region not listed. */
public final class TenantPolicy {

    private final Set<String> projects;
    private final Set<String> regions;

    /** Empty or absent lists allow everything. */
    public TenantPolicy(Optional<Set<String>> projects, Optional<Set<String>> regions) {
        this.projects = projects.orElse(Set.of());
        this.regions = regions.orElse(Set.of());
    }

    /** Throws {@code PROJECT_NOT_ALLOWED} or {@code REGION_NOT_ALLOWED} for a task outside the lists. */
    public void check(TaskFailed task) {
        if (!projects.isEmpty() && !projects.contains(task.projectId())) {
            throw new DeadLetterException(DeadLetterCode.PROJECT_NOT_ALLOWED,
                    "Project " + task.projectId() + " is not in drs.allowed-projects.");
        }
        if (!regions.isEmpty() && !regions.contains(task.region())) {
            throw new DeadLetterException(DeadLetterCode.REGION_NOT_ALLOWED,
                    "Region " + task.region() + " is not in drs.allowed-regions.");
        }
    }
}
