package org.etat.app.importer;

import java.util.List;

/**
 * The ledger commands that import one year, in execution order (all lines opened with their
 * appropriations, then § 37 consents, then actuals; each phase in batches), and the report of what they amount to.
 */
public record ImportPlan(int year, List<PlannedCommand> commands, ImportReport report) {
    public ImportPlan {
        commands = List.copyOf(commands);
    }

    public List<PlannedCommand> commands(PlannedCommand.Phase phase) {
        return commands.stream().filter(c -> c.phase() == phase).toList();
    }

    /** Entries (source rows) of a phase: what its progress counts. */
    public int entries(PlannedCommand.Phase phase) {
        return commands(phase).stream().mapToInt(PlannedCommand::entries).sum();
    }

    public int entries() {
        return commands.stream().mapToInt(PlannedCommand::entries).sum();
    }
}
