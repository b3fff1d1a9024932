package io.scanfarm.matcher.packet;

/** A captured packet that cannot be read as what it claims to be; the message classifies why. */
public final class MalformedPacketException extends Exception {

    public MalformedPacketException(String reason) {
        super(reason, null, false, false);
    }
}
