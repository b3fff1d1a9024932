package io.scanfarm.matcher.tests.gen1;

/** The first generation's TCP sequence classes: the TSeq Class value and the words Nmap printed (seqclass2ascii). */
public enum SeqClass {
    UNKNOWN(null, "unknown class"),
    CONSTANT("C", "constant sequence number (!)"),
    SIXTY_FOUR_K("64K", "64K rule"),
    I800("i800", "increments by 800"),
    TIME_DEPENDENT("TD", "trivial time dependency"),
    RANDOM_INCREMENTS("RI", "random positive increments"),
    TRULY_RANDOM("TR", "truly random");

    private final String code;
    private final String description;

    SeqClass(String code, String description) {
        this.code = code;
        this.description = description;
    }

    public String code() {
        return code;
    }

    public String description() {
        return description;
    }
}
