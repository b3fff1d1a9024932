package io.scanfarm.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code scanfarm config check FILE}: a service configuration checked before a deployment trusts it. */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Service configuration tools.",
        subcommands = {ConfigCommand.Check.class})
final class ConfigCommand {

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Check a service configuration file (with the environment's SCANFARM_* overrides) and print the",
                "effective configuration, secrets masked, defaults named. Exit 0 when valid, 2 with every problem",
                "listed (unknown or misspelt keys, bad values, missing required keys, unknown Kafka properties)."})
    static final class Check implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "the properties file")
        Path file;

        @Option(names = "--service", paramLabel = "NAME",
                description = "coordinator, matcher or agent (default: told by the keys: segments, os.db, allowlist/segment)")
        String service;

        @Option(names = "--no-env", description = "ignore SCANFARM_* environment overrides")
        boolean noEnv;

        @Override
        public Integer call() {
            ServiceConfig c = ServiceConfig.load(file, noEnv ? Map.of() : System.getenv());
            ConfigKeys.Service s = service != null ? named(service) : c.inferService();
            if (s == null) {
                throw new UserError(file + ": cannot tell which service this configures (no segments, os.db, segment or"
                        + " allowlist key): name it with --service coordinator|matcher|agent");
            }
            List<String> problems = c.problems(s);
            if (!problems.isEmpty()) {
                throw new UserError(problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + " in this "
                        + s.label() + " configuration:" + System.lineSeparator() + String.join(System.lineSeparator(), problems));
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println(file + ": a valid " + s.label() + " configuration");
            c.print(out, s.label());
            return ExitCodes.OK;
        }

        private static ConfigKeys.Service named(String name) {
            try {
                return ConfigKeys.Service.valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new UserError("--service: '" + name + "' is not a service (coordinator, matcher, agent)");
            }
        }
    }
}
