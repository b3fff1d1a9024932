package io.scanfarm.agent.service;

import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.BitSet;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Which of a job's addresses already have their observation committed, carried in the consumer offset's
 * metadata (committed in the same transaction as those observations). An agent that takes over a job reads it
 * and skips them, so a job's observations stream out as hosts finish and still reach readers exactly once.
 */
final class JobProgress {

    private static final String PREFIX = "scanfarm:v1:";
    /** Kafka's default offset.metadata.max.bytes. */
    static final int MAX_METADATA = 4096;

    private JobProgress() {
    }

    static String encode(String jobId, BitSet done) {
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION);
        d.setInput(done.toByteArray());
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[1024];
        while (!d.finished()) {
            out.write(buf, 0, d.deflate(buf));
        }
        d.end();
        return PREFIX + jobId + ":" + Base64.getEncoder().encodeToString(out.toByteArray());
    }

    /** The addresses done for this job, or an empty set when the metadata is absent, foreign or unreadable. */
    static BitSet decode(String jobId, String metadata) {
        String head = PREFIX + jobId + ":";
        if (metadata == null || !metadata.startsWith(head)) {
            return new BitSet();
        }
        try {
            Inflater inf = new Inflater();
            inf.setInput(Base64.getDecoder().decode(metadata.substring(head.length())));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[1024];
            while (!inf.finished()) {
                int n = inf.inflate(buf);
                if (n == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    break;
                }
                out.write(buf, 0, n);
            }
            inf.end();
            return BitSet.valueOf(out.toByteArray());
        } catch (IllegalArgumentException | DataFormatException e) {
            return new BitSet();
        }
    }
}
