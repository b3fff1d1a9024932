package io.scanfarm.cli;

import io.scanfarm.wire.JobSignature;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code scanfarm keygen}: an Ed25519 key pair for signing scan jobs. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = {"Write an Ed25519 job-signing key pair: NAME.key (private, mode 0600; for whoever submits scans)",
            "and NAME.pub (for the agents' trusted.keys). Prints the key id jobs carry. Never replaces a key."})
final class KeygenCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--out", paramLabel = "NAME", required = true, description = "path without suffix, e.g. /etc/scanfarm/issuer")
    Path out;

    @Override
    public Integer call() {
        KeyPair pair = JobSignature.generate();
        KeyFiles.write(out, pair);
        spec.commandLine().getOut().printf("scanfarm keygen: key %s written to %s.key (private) and %s.pub (public)%n",
                JobSignature.keyId(pair.getPublic()), out, out);
        return ExitCodes.OK;
    }
}
