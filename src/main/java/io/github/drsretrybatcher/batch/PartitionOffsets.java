package io.github.drsretrybatcher.batch;

import java.util.BitSet;

/**
 * The records of one partition that were received but are not finished yet. The offset that may be committed
 * is the first unfinished one, or the one after the last received when all are finished: never past a record
 * whose outcome or dead letter is not on the broker yet. Not thread-safe: its owner serialises access.
 *
 * <p>Unfinished offsets are bits counted from {@code base}: one bit per offset, nothing allocated per record
 * (a record held for its window outlives several young collections, so whatever is kept per record is copied and
 * promoted). The bits before the first unfinished offset are dropped as it moves on.
 */
final class PartitionOffsets {

    /** Bits before the first unfinished one are dropped once there are this many. */
    private static final int DROP_AFTER = 4096;

    private BitSet pending = new BitSet();
    private long base = -1;
    private long next = -1;
    private long committed = -1;

    void received(long offset) {
        if (pending.isEmpty()) {
            base = offset; // nothing unfinished: count from here
        } else if (offset < base) {
            // before every unfinished offset (the partition was sought back): count from it
            BitSet moved = new BitSet();
            pending.stream().forEach(bit -> moved.set(Math.toIntExact(bit + base - offset)));
            pending = moved;
            base = offset;
        }
        pending.set(Math.toIntExact(offset - base));
        next = Math.max(next, offset + 1);
    }

    /** Marks a record finished; an offset not received since the partition was assigned is ignored. */
    void finished(long offset) {
        if (offset < base || offset - base > Integer.MAX_VALUE) {
            return;
        }
        pending.clear((int) (offset - base));
        int first = pending.nextSetBit(0);
        if (first >= DROP_AFTER) {
            pending = pending.get(first, pending.length());
            base += first;
        }
    }

    /** The offset to commit, or -1 when there is nothing new to commit. */
    long committable() {
        int first = pending.nextSetBit(0);
        long candidate = first < 0 ? next : base + first;
        return candidate > committed ? candidate : -1;
    }

    void committed(long offset) {
        committed = Math.max(committed, offset);
    }
}
