package io.scanfarm.matcher.tests;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What Nmap prints beside the fingerprint: network distance (-1 unknown) and how it was found, the IP ID
 * sequence class, the TCP sequence prediction index (null below 4 SEQ replies) and the estimated boot time
 * (null without usable timestamps), plus why the fingerprint is not ideal (null when it is) and the responses
 * that could not be read, counted by what was wrong with them (see {@link MalformedResponses}).
 */
public record SideResults(int distance, String distanceMethod, IpIdClass ipIdClass, Integer sequenceIndex,
                          Long lastBootEpochSeconds, int seqResponses, String notIdealBecause,
                          SortedMap<String, Integer> malformedResponses) {

    public SideResults {
        malformedResponses = Collections.unmodifiableSortedMap(new TreeMap<>(malformedResponses));
    }

    public String difficulty() {
        return sequenceIndex == null ? null : SeqAnalysis.difficulty(sequenceIndex);
    }
}
