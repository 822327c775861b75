package dev.handoff.cli;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.ListenerNotFoundException;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Heap in use right after garbage collection, which is what a memory bound is about (before a
 * collection the heap also holds garbage). It listens to every collection the JVM reports and
 * keeps the highest heap-after-GC; {@link #sample(String)} forces a full collection and records
 * the live heap under a label, so samples taken at 25, 50, 75 and 100% of a run show whether
 * memory grows with the work done.
 */
final class HeapWatch implements AutoCloseable {

    private final AtomicLong maxAfterGc = new AtomicLong();
    private final Map<String, Long> samples = new LinkedHashMap<>();
    private final List<Runnable> detach = new ArrayList<>();

    HeapWatch() {
        NotificationListener listener = (notification, handback) -> {
            if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                return;
            }
            GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from(
                    (CompositeData) notification.getUserData());
            long used = 0;
            for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                if (isHeap(e.getKey())) {
                    used += e.getValue().getUsed();
                }
            }
            maxAfterGc.accumulateAndGet(used, Math::max);
        };
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(listener, null, null);
                detach.add(() -> {
                    try {
                        emitter.removeNotificationListener(listener);
                    } catch (ListenerNotFoundException e) {
                        // already gone
                    }
                });
            }
        }
    }

    private static boolean isHeap(String pool) {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .anyMatch(p -> p.getName().equals(pool) && p.getType() == MemoryType.HEAP);
    }

    /** Collects fully and records the live heap under {@code label}. */
    long sample(String label) {
        System.gc();
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        maxAfterGc.accumulateAndGet(used, Math::max);
        samples.put(label, used);
        return used;
    }

    long maxAfterGcBytes() {
        return maxAfterGc.get();
    }

    /** Label → live heap in bytes, in the order sampled. */
    Map<String, Long> samples() {
        return new LinkedHashMap<>(samples);
    }

    static long maxHeapBytes() {
        return Runtime.getRuntime().maxMemory();
    }

    @Override
    public void close() {
        detach.forEach(Runnable::run);
    }
}
