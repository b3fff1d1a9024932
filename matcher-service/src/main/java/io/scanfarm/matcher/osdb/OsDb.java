package io.scanfarm.matcher.osdb;

import java.util.List;

/** A parsed nmap-os-db: where it came from, its MatchPoints, and its fingerprints in file order. */
public record OsDb(String source, MatchPoints matchPoints, List<ReferenceFingerprint> fingerprints) {

    public OsDb {
        fingerprints = List.copyOf(fingerprints);
    }
}
