package io.scanfarm.matcher.match;

import io.scanfarm.matcher.osdb.ReferenceFingerprint;

/** A reference fingerprint in the ranking, with its exact score (matched points / shared points). */
public record RankedMatch(ReferenceFingerprint fingerprint, double score) {

    /** The integer Nmap prints: {@code floor(score * 100)}. */
    public int accuracy() {
        return (int) Math.floor(score * 100);
    }

    public boolean perfect() {
        return score == 1.0;
    }
}
