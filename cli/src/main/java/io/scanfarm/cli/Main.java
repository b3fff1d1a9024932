package io.scanfarm.cli;

import io.scanfarm.cli.farm.ProcessEnd;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code scanfarm} command. Exit codes: 0 done, 1 some input could not be handled, 2 usage or setup error. */
@Command(name = "scanfarm",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "Nmap-grade active OS fingerprinting as a scan farm on Kafka.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:done",
            "1:some input could not be handled (each case is reported)",
            "2:usage error, or a missing/unreadable/malformed database, no privileges, no broker",
            "3:internal error (a bug: please report it)"})
public final class Main implements Runnable {

    /** The subcommands, in the order the usage lists them. */
    private static final List<Class<?>> SUBCOMMANDS = List.of(ScanCommand.class, MatchCommand.class, ServiceCommands.Broker.class,
            ServiceCommands.CoordinatorCommand.class, ServiceCommands.Agent.class, ServiceCommands.Matcher.class, ConfigCommand.class,
            KeygenCommand.class, AclsCommand.class, CommandLine.HelpCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        ProcessEnd.claim();
        ProcessEnd.exit(run(args));
    }

    /** Runs the command line and returns its exit code. */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Runs the command line with the given streams (tests capture them) and returns its exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = commandLine(args.length > 0 ? args[0] : "");
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            if (ex instanceof UserError) {
                line.getErr().println(line.getCommandSpec().qualifiedName() + ": " + ex.getMessage());
                return ExitCodes.SETUP;
            }
            if (ex instanceof io.scanfarm.coordinator.service.BrokerUnavailableException) {
                line.getErr().println(line.getCommandSpec().qualifiedName() + ": " + ex.getMessage());
                return ExitCodes.SETUP;
            }
            // Not an expected failure: one line, and the trace only when asked for (SCANFARM_DEBUG=1).
            line.getErr().println(line.getCommandSpec().qualifiedName() + ": internal error: " + ex
                    + " (set SCANFARM_DEBUG=1 for details, and please report it)");
            if (System.getenv("SCANFARM_DEBUG") != null) {
                ex.printStackTrace(line.getErr());
            }
            return ExitCodes.INTERNAL;
        });
        cl.setParameterExceptionHandler((ex, args2) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println(c.getCommandSpec().qualifiedName() + ": " + ex.getMessage());
            c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help'.");
            return ExitCodes.SETUP;
        });
        try {
            return cl.execute(args);
        } finally {
            // Whatever a command printed without a newline is written before the process ends (see ProcessEnd).
            out.flush();
            err.flush();
        }
    }

    /**
     * The command line for a run whose first argument is {@code first}. A subcommand named there is the only one
     * built: picocli reads every option of every subcommand it is given, which took about 0.05 s of a scan's start
     * on a slow machine. Anything else (no subcommand, an unknown word, help) gets them all, for the usage and its errors.
     */
    static CommandLine commandLine(String first) {
        CommandLine cl = new CommandLine(new Main());
        List<Class<?>> wanted = SUBCOMMANDS.stream()
                .filter(c -> c != CommandLine.HelpCommand.class && c.getAnnotation(Command.class).name().equals(first))
                .toList();
        for (Class<?> c : wanted.isEmpty() ? SUBCOMMANDS : wanted) {
            cl.addSubcommand(c);
        }
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
