package dev.spool.shell;

import dev.spool.api.cluster.Member;
import dev.spool.api.group.GroupBackup;
import dev.spool.api.group.RaftGroup;
import dev.spool.api.group.RaftGroupException;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.FileCompleter;

/**
 * {@code spool:backup <group> <file>}: writes a backup of the group as this member holds it — a snapshot taken now
 * and the committed entries after it — to a new file, which a fresh cluster's members restore through their group
 * configuration's {@code restoreFrom}. Any member, leader or not.
 */
@Command(
        scope = "spool",
        name = "backup",
        description =
                "Writes a backup of a Raft group (a snapshot taken now and"
                        + " the committed entries after it) to a new file; fresh members start from it with restoreFrom=<file>.")
@Service
public final class BackupCommand extends GroupAction {

    @Argument(
            index = 1,
            name = "file",
            description = "the backup file to create (it must not exist); a relative"
                    + " path resolves against the Karaf directory",
            required = true)
    @Completion(FileCompleter.class)
    String file;

    @Override
    public Object execute() {
        final RaftGroup<?> raft = group();
        final Path target;
        try {
            target = Path.of(System.getProperty("karaf.base", "")).resolve(file).toAbsolutePath();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(
                    "group " + raft.name() + ": '" + file + "' is not a file path: " + e.getReason());
        }
        final GroupBackup backup;
        try {
            backup = raft.backup(target);
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        } catch (RaftGroupException e) {
            throw new IllegalStateException("group " + raft.name() + ": backup failed: " + e.getMessage(), e);
        }
        out.println("group " + raft.name() + ": backup " + backup.file() + ", " + backup.bytes() + " bytes");
        out.println("  snapshot at index " + backup.snapshotIndex() + ", "
                + (backup.entries() == 0
                        ? "no entries after it"
                        : "entries " + (backup.snapshotIndex() + 1) + ".." + backup.lastIndex())
                + ", term " + backup.lastTerm());
        out.println("  members at index " + backup.lastIndex() + ": "
                + backup.membership().members().stream()
                        .map(BackupCommand::describe)
                        .collect(Collectors.joining(", ")));
        return null;
    }

    private static String describe(Member member) {
        return member.id() + (member.voting() ? "" : " (non-voting)");
    }
}
