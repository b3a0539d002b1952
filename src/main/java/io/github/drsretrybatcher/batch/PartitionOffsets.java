package io.github.drsretrybatcher.batch;

import java.util.TreeSet;

/**
 * The records of one partition that were received but are not finished yet. The offset that may be committed
 * is the first unfinished one, or the one after the last received when all are finished: never past a record
 * whose outcome or dead letter is not on the broker yet. Not thread-safe: its owner serialises access.
 */
final class PartitionOffsets {

    private final TreeSet<Long> pending = new TreeSet<>();
    private long next = -1;
    private long committed = -1;

    void received(long offset) {
        pending.add(offset);
        next = Math.max(next, offset + 1);
    }

    /** Marks a record finished; an offset not received since the partition was assigned is ignored. */
    void finished(long offset) {
        pending.remove(offset);
    }

    /** The offset to commit, or -1 when there is nothing new to commit. */
    long committable() {
        long candidate = pending.isEmpty() ? next : pending.first();
        return candidate > committed ? candidate : -1;
    }

    void committed(long offset) {
        committed = Math.max(committed, offset);
    }

    int pendingCount() {
        return pending.size();
    }
}
