// CompileService: polygrader's warm Java compiler (docs/java-compile-service.md). One long-lived JVM,
// started by polygrader inside polyjail with the Java profile's compile sandbox and limits
// (`polyjail run --stream`), that compiles request after request with javax.tools: the learner's
// sources arrive as bytes on stdin, the class files go back as bytes on stdout. Nothing is read from or
// written to the file system but the JDK's own modules. Annotation processing is always off
// (-proc:none), so no code of the learner's ever runs in this JVM.
//
// It answers "clean" only for a compilation with no diagnostic at all (no error, warning or note) and
// no compiler output; anything else is "not clean" and polygrader compiles that submission with the
// cold jailed javac, whose output the learner sees. It exits after `recycle` compilations, when its
// heap grows past half of its maximum, and on any malformed request: polygrader then starts another.
//
// Wire format (big-endian, DataInputStream/DataOutputStream):
//   request: int MAGIC, int nOptions, nOptions x bytes, int nSources, nSources x (bytes path, bytes text)
//   reply:   int MAGIC, int status (0 clean, 1 not clean), long cpuNanos, int nClasses,
//            nClasses x (bytes path, bytes classfile)
//   bytes:   int length, then that many bytes (paths and options in UTF-8)
import java.io.*;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.*;
import java.util.*;
import javax.tools.*;

public final class CompileService {
    static final int MAGIC = 0x504a4353; // "PJCS"
    static final int MAX_ITEMS = 4096;
    static final int MAX_REQUEST_BYTES = 64 << 20;

    public static void main(String[] args) throws IOException {
        int recycle = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) System.exit(3);
        // "." is the class path of every compilation, as for the cold javac; here it must hold nothing.
        String[] cwd = new File(".").list();
        if (cwd == null || cwd.length != 0) System.exit(4);
        DataInputStream in = new DataInputStream(new BufferedInputStream(new FileInputStream(FileDescriptor.in), 1 << 16));
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16));
        Runtime rt = Runtime.getRuntime();
        for (int done = 0; done < recycle; done++) {
            int magic;
            try { magic = in.readInt(); } catch (EOFException e) { return; } // polygrader ended the service
            if (magic != MAGIC) System.exit(2);
            Request req = Request.read(in);
            long cpu0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            Map<String, byte[]> classes = new TreeMap<>();
            boolean clean = compile(javac, req, classes);
            long cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu0;
            out.writeInt(MAGIC);
            out.writeInt(clean ? 0 : 1);
            out.writeLong(cpu);
            out.writeInt(clean ? classes.size() : 0);
            if (clean) for (Map.Entry<String, byte[]> c : classes.entrySet()) { writeBytes(out, c.getKey().getBytes(StandardCharsets.UTF_8)); writeBytes(out, c.getValue()); }
            out.flush();
            // A heap that keeps growing is an anomaly: end here, a fresh JVM takes over.
            if (rt.totalMemory() - rt.freeMemory() > rt.maxMemory() / 2) { System.gc(); if (rt.totalMemory() - rt.freeMemory() > rt.maxMemory() / 2) return; }
        }
    }

    static final class Request {
        final List<String> options = new ArrayList<>();
        final List<String> paths = new ArrayList<>();
        final List<byte[]> texts = new ArrayList<>();

        static Request read(DataInputStream in) throws IOException {
            Request r = new Request();
            long[] budget = {MAX_REQUEST_BYTES};
            int n = count(in);
            for (int i = 0; i < n; i++) r.options.add(new String(readBytes(in, budget), StandardCharsets.UTF_8));
            n = count(in);
            for (int i = 0; i < n; i++) { r.paths.add(new String(readBytes(in, budget), StandardCharsets.UTF_8)); r.texts.add(readBytes(in, budget)); }
            return r;
        }
    }

    static int count(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_ITEMS) System.exit(2);
        return n;
    }

    static byte[] readBytes(DataInputStream in, long[] budget) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > budget[0]) System.exit(2);
        budget[0] -= n;
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }

    static void writeBytes(DataOutputStream out, byte[] b) throws IOException { out.writeInt(b.length); out.write(b); }

    /** Compiles one request; true only when javac succeeded without a single diagnostic or output line. */
    static boolean compile(JavaCompiler javac, Request req, Map<String, byte[]> classes) {
        List<String> options = new ArrayList<>(req.options);
        Charset charset = Charset.defaultCharset();
        for (int i = 0; i + 1 < options.size(); i++)
            if (options.get(i).equals("-encoding")) {
                try { charset = Charset.forName(options.get(i + 1)); } catch (RuntimeException e) { return false; }
            }
        // -proc:none: no annotation processor, so no code but javac's runs here. Without a class path of
        // the request's, javac would take this JVM's own (java.class.path) instead of the cold javac's ".".
        options.add("-proc:none");
        boolean hasClassPath = options.stream().anyMatch(o -> o.equals("-cp") || o.equals("-classpath") || o.equals("--class-path"));
        if (!hasClassPath) { options.add("-classpath"); options.add("."); }
        List<JavaFileObject> sources = new ArrayList<>();
        for (int i = 0; i < req.paths.size(); i++) {
            String text;
            try {
                // Strict: a byte sequence the cold javac would report as unmappable is not clean here.
                text = charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(req.texts.get(i))).toString();
            } catch (CharacterCodingException e) { return false; }
            sources.add(new Source(req.paths.get(i), text));
        }
        List<Diagnostic<? extends JavaFileObject>> diagnostics = new ArrayList<>();
        StringWriter output = new StringWriter();
        try (StandardJavaFileManager std = javac.getStandardFileManager(diagnostics::add, Locale.ROOT, charset);
             Memory fm = new Memory(std, classes)) {
            Boolean ok = javac.getTask(output, fm, diagnostics::add, options, null, sources).call();
            return Boolean.TRUE.equals(ok) && diagnostics.isEmpty() && output.getBuffer().length() == 0 && !fm.refused;
        } catch (RuntimeException | IOException | Error e) {
            return false; // javac's own failure: the cold javac decides
        }
    }

    /** One source, held in memory; its URI path is the box path, so javac's file-name checks see "Main.java". */
    static final class Source extends SimpleJavaFileObject {
        final String text;
        Source(String path, String text) {
            super(uri(path), Kind.SOURCE);
            this.text = text;
        }
        @Override public CharSequence getCharContent(boolean ignoreEncodingErrors) { return text; }
    }

    static URI uri(String path) {
        try { return new URI("mem", null, "/" + path, null); } catch (java.net.URISyntaxException e) { throw new IllegalArgumentException(e); }
    }

    /** Class files go to memory, keyed by their path under the output directory ("pkg/Main.class"). */
    static final class Memory extends ForwardingJavaFileManager<StandardJavaFileManager> {
        final Map<String, byte[]> classes;
        boolean refused;
        Memory(StandardJavaFileManager std, Map<String, byte[]> classes) { super(std); this.classes = classes; }

        @Override
        public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind, FileObject sibling) throws IOException {
            if (location != StandardLocation.CLASS_OUTPUT || kind != JavaFileObject.Kind.CLASS) { refused = true; throw new IOException("only class output"); }
            String path = className.replace('.', '/') + kind.extension;
            return new SimpleJavaFileObject(uri(path), kind) {
                @Override public OutputStream openOutputStream() {
                    return new ByteArrayOutputStream() {
                        @Override public void close() { classes.put(path, toByteArray()); }
                    };
                }
            };
        }

        @Override
        public FileObject getFileForOutput(Location location, String packageName, String relativeName, FileObject sibling) throws IOException {
            refused = true;
            throw new IOException("only class output");
        }
    }
}
