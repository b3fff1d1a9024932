package io.scanfarm.matcher.tests.gen1;

/** The first generation's TCP timestamp classes: the TSeq TS value, none when unknown (osscan.cc get_fingerprint). */
public enum TimestampClass {
    UNKNOWN(null),
    ZERO("0"),
    UNSUPPORTED("U"),
    HZ2("2HZ"),
    HZ100("100HZ"),
    HZ1000("1000HZ");

    private final String code;

    TimestampClass(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
