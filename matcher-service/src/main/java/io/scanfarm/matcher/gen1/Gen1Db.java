package io.scanfarm.matcher.gen1;

import java.util.List;

/** A parsed nmap-os-fingerprints: where it came from and its fingerprints in file order. */
public record Gen1Db(String source, List<Gen1Fingerprint> fingerprints) {

    public Gen1Db {
        fingerprints = List.copyOf(fingerprints);
    }
}
