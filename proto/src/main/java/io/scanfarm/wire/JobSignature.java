package io.scanfarm.wire;

import io.scanfarm.proto.ScanJob;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Ed25519 signatures over a ScanJob's canonical bytes (the JDK's own provider). The canonical form is ours,
 * not protobuf's (whose encoding is not promised stable): a domain tag, then every field but the signature in
 * field order, strings as length-prefixed UTF-8, lists with their count, numbers big-endian. Keys travel as
 * PEM (PKCS#8 private, X.509 public), which openssl reads too; a key's id is the first 16 hex digits of the
 * SHA-256 of its public key's encoding.
 */
public final class JobSignature {

    private static final String DOMAIN = "scanfarm.ScanJob.v1";

    private JobSignature() {
    }

    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no Ed25519", e);
        }
    }

    public static String keyId(PublicKey key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The bytes a signature covers: every field of the job except the signature itself. */
    public static byte[] canonical(ScanJob job) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            string(out, DOMAIN);
            out.writeInt(job.getSchemaVersion());
            string(out, job.getScanId());
            string(out, job.getJobId());
            string(out, job.getSegment());
            out.writeInt(job.getTargetsCount());
            for (String t : job.getTargetsList()) {
                string(out, t);
            }
            out.writeInt(job.getPortsCount());
            for (int p : job.getPortsList()) {
                out.writeInt(p);
            }
            out.writeInt(job.getProfileValue());
            out.writeInt(job.getRateLimitPps());
            out.writeLong(job.getCreatedAtMs());
            out.writeLong(job.getExpiresAtMs());
            string(out, job.getIssuerKeyId());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void string(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    /** The job with the issuer's key id set and signed. */
    public static ScanJob sign(ScanJob job, KeyPair issuer) {
        ScanJob unsigned = job.toBuilder().clearSignature().setIssuerKeyId(keyId(issuer.getPublic())).build();
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(issuer.getPrivate());
            s.update(canonical(unsigned));
            return unsigned.toBuilder().setSignature(com.google.protobuf.ByteString.copyFrom(s.sign())).build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign: " + e.getMessage(), e);
        }
    }

    /** Whether the job's signature is the key's signature over its canonical bytes. */
    public static boolean verify(ScanJob job, PublicKey key) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(canonical(job));
            return s.verify(job.getSignature().toByteArray());
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false; // a signature of the wrong length or shape is no signature
        }
    }

    public static String pem(PublicKey key) {
        return pem("PUBLIC KEY", key.getEncoded());
    }

    public static String pem(PrivateKey key) {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    public static PublicKey publicKey(String pem) {
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der(pem, "PUBLIC KEY")));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 public key: " + e.getMessage());
        }
    }

    /** The key pair of a private key file (Ed25519's public key is derived from the private one). */
    public static KeyPair keyPair(String privatePem, String publicPem) {
        try {
            PrivateKey priv = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der(privatePem, "PRIVATE KEY")));
            return new KeyPair(publicKey(publicPem), priv);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 private key: " + e.getMessage());
        }
    }

    private static byte[] der(String pem, String type) {
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int b = pem.indexOf(begin);
        int e = pem.indexOf(end);
        if (b < 0 || e < b) {
            throw new IllegalArgumentException("no '" + begin + "' block");
        }
        try {
            return Base64.getMimeDecoder().decode(pem.substring(b + begin.length(), e));
        } catch (IllegalArgumentException x) {
            throw new IllegalArgumentException("the " + type + " block is not base64");
        }
    }
}
