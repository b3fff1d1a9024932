package io.scanfarm.matcher.gen1;

/**
 * A reference in the ranking: of the attributes it shares with the subject ({@code compared}), how many its
 * expressions accept ({@code matched}). Nmap's accuracy is that fraction (osscan.cc compare_fingerprints).
 */
public record Gen1Match(Gen1Fingerprint fingerprint, int matched, int compared) {

    /** matched / compared, 0 when nothing was compared; 1.0 is a perfect match. */
    public double score() {
        return compared == 0 ? 0 : matched / (double) compared;
    }

    /** The percentage Nmap prints: {@code (int) (accuracy * 100)}, truncated. */
    public int accuracy() {
        return (int) (score() * 100);
    }

    public boolean perfect() {
        return compared > 0 && matched == compared;
    }
}
