package io.scanfarm.wire;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;

/**
 * One counter per value of an enum (a host status, a verdict outcome, a job state), tagged with the value's
 * lower-case name and registered the first time it is counted; the per-record path then indexes an array
 * instead of looking a meter up by name and tags.
 */
public final class EnumCounters<E extends Enum<E>> {

    private final MeterRegistry registry;
    private final String name;
    private final String tag;
    private final Counter[] counters;

    public EnumCounters(MeterRegistry registry, String name, String tag, Class<E> type) {
        this.registry = registry;
        this.name = name;
        this.tag = tag;
        this.counters = new Counter[type.getEnumConstants().length];
    }

    public void increment(E value) {
        increment(value, 1);
    }

    public void increment(E value, double amount) {
        Counter c = counters[value.ordinal()];
        if (c == null) {
            c = registry.counter(name, tag, value.name().toLowerCase(Locale.ROOT));
            counters[value.ordinal()] = c;
        }
        c.increment(amount);
    }
}
