package io.scanfarm.wire;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import io.scanfarm.proto.OsVerdict;
import java.io.IOException;

/**
 * Reads a verdict with only its first ranked matches. A verdict carries Nmap's 36; what a reader prints is at most
 * the first ten, and decoding the other 26 (their names, classes and CPEs: most of a verdict's strings) was most
 * of what following a scan cost its printing thread. The unwanted matches are cut from the encoded record before
 * it is parsed; everything else is read as {@link OsVerdict#parseFrom} reads it.
 */
public final class VerdictWire {

    private VerdictWire() {
    }

    /** The verdict in {@code wire} with its first {@code matches} ranked matches (all it has when fewer). */
    public static OsVerdict parseWithFirstMatches(byte[] wire, int matches) throws InvalidProtocolBufferException {
        if (matches < 0) {
            throw new IllegalArgumentException("matches must be 0 or more, not " + matches);
        }
        CodedInputStream in = CodedInputStream.newInstance(wire);
        // The encoded record is a run of fields: the kept ones are merged into the verdict piece by piece, which is
        // what parsing them back to back would give (for protobuf, concatenating encodings merges them).
        OsVerdict.Builder verdict = null;
        int keptFrom = 0;
        int seen = 0;
        try {
            while (true) {
                int start = in.getTotalBytesRead();
                int tag = in.readTag();
                if (tag == 0) {
                    break;
                }
                boolean match = WireFormat.getTagFieldNumber(tag) == OsVerdict.MATCHES_FIELD_NUMBER
                        && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
                if (!in.skipField(tag)) {
                    break; // an end-group tag: parseFrom reports it
                }
                if (match && seen++ >= matches) {
                    if (verdict == null) {
                        verdict = OsVerdict.newBuilder();
                    }
                    verdict.mergeFrom(wire, keptFrom, start - keptFrom);
                    keptFrom = in.getTotalBytesRead();
                }
            }
        } catch (InvalidProtocolBufferException e) {
            throw e;
        } catch (IOException e) {
            throw new InvalidProtocolBufferException(e); // reading an array does no I/O
        }
        if (verdict == null) {
            return OsVerdict.parseFrom(wire);
        }
        return verdict.mergeFrom(wire, keptFrom, wire.length - keptFrom).build();
    }
}
