package io.scanfarm.agent.scan;

import io.scanfarm.matcher.observation.Observation;

/**
 * How probing one host ended: {@code UP} with its observation, or a reason there is none. {@code detail} is one
 * sentence for people.
 */
public record HostResult(String address, Status status, String detail, Observation observation) {

    public enum Status {
        /** Probed; the observation holds every probe and answer. */
        UP,
        /** Nothing answered: no ARP reply on the link, or no answer to any port. */
        DOWN,
        /** No route leads to the address from this host. */
        UNREACHABLE,
        /** The scan could not be carried out (an error on this host's link). */
        ERROR
    }
}
