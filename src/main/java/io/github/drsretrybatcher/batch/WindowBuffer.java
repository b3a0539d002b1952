package io.github.drsretrybatcher.batch;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The open windows, one per (region, project). Not thread-safe: its owner serialises access. Time is passed in,
 * so the rules can be tested with any clock.
 */
public final class WindowBuffer {

    /** What adding a record did: whether it opened a window, and the window it filled, if any. */
    public record Added(boolean opened, Window full) {
    }

    private final Duration length;
    private final int maxJobs;
    private final Map<Window.Key, Window> open = new HashMap<>();

    public WindowBuffer(Duration length, int maxJobs) {
        this.length = length;
        this.maxJobs = maxJobs;
    }

    /** Adds a record to its window; a window that reaches the maximum of distinct jobs is closed and returned. */
    public Added add(PendingRecord record, Instant now) {
        Window.Key key = new Window.Key(record.task().region(), record.task().projectId());
        boolean opened = !open.containsKey(key);
        Window window = open.computeIfAbsent(key, k -> new Window(k, now.plus(length)));
        window.add(record);
        if (window.jobCount() >= maxJobs) {
            open.remove(key);
            return new Added(opened, window);
        }
        return new Added(opened, null);
    }

    /** Closes and returns the windows whose time is up. */
    public List<Window> takeDue(Instant now) {
        List<Window> due = new ArrayList<>();
        for (Iterator<Window> it = open.values().iterator(); it.hasNext(); ) {
            Window window = it.next();
            if (!window.deadline().isAfter(now)) {
                due.add(window);
                it.remove();
            }
        }
        return due;
    }

    /** Closes and returns the window holding the most records, or null when none is open. */
    public Window takeFullest() {
        Window fullest = null;
        for (Window window : open.values()) {
            if (fullest == null || window.recordCount() > fullest.recordCount()) {
                fullest = window;
            }
        }
        if (fullest != null) {
            open.remove(fullest.key());
        }
        return fullest;
    }

    /** Closes and returns every open window. */
    public List<Window> takeAll() {
        List<Window> all = new ArrayList<>(open.values());
        open.clear();
        return all;
    }

    /** The window length; a newly opened window is due this long after its first record. */
    public Duration length() {
        return length;
    }

    public int openWindows() {
        return open.size();
    }

    /** Records held in open windows, duplicates included. */
    public int openRecords() {
        int records = 0;
        for (Window window : open.values()) {
            records += window.recordCount();
        }
        return records;
    }
}
