// CdsSample: what a typical course program loads from the JDK (input parsing, collections, strings,
// formatting, math), run once by polygrader on the host to list those classes for the run JVM's
// class-data-sharing archive (docs/java-compile-service.md, "The run JVM"). Our code; never a learner's.
import java.io.*;
import java.math.BigInteger;
import java.util.*;
import java.util.stream.*;

public final class CdsSample {
    public static void main(String[] args) throws IOException {
        String text = "3 1 2\nhello world\n4.5\n";
        Scanner sc = new Scanner(new ByteArrayInputStream(text.getBytes("UTF-8")));
        long sum = 0;
        for (int i = 0; i < 3; i++) sum += sc.nextLong();
        sc.nextLine();
        String line = sc.nextLine();
        double d = sc.nextDouble();
        BufferedReader br = new BufferedReader(new InputStreamReader(new ByteArrayInputStream(text.getBytes("UTF-8"))));
        StringTokenizer st = new StringTokenizer(br.readLine());
        List<Integer> list = new ArrayList<>();
        while (st.hasMoreTokens()) list.add(Integer.parseInt(st.nextToken()));
        Collections.sort(list);
        Map<String, Integer> counts = new HashMap<>();
        for (String w : line.split("\\s+")) counts.merge(w, 1, Integer::sum);
        TreeMap<String, Integer> sorted = new TreeMap<>(counts);
        Deque<Integer> dq = new ArrayDeque<>(list);
        PriorityQueue<Integer> pq = new PriorityQueue<>(list);
        Set<Integer> set = new HashSet<>(list);
        LinkedList<Integer> ll = new LinkedList<>(list);
        int[] arr = list.stream().mapToInt(Integer::intValue).toArray();
        Arrays.sort(arr);
        String joined = IntStream.of(arr).mapToObj(String::valueOf).collect(Collectors.joining(","));
        StringBuilder sb = new StringBuilder();
        sb.append(sum).append(' ').append(joined).append(' ').append(sorted).append(' ').append(dq.peekFirst())
          .append(' ').append(pq.peek()).append(' ').append(set.size()).append(' ').append(ll.getLast());
        sb.append(String.format(" %.2f %d %s", d * Math.sqrt(2), Math.abs(-3L), BigInteger.valueOf(2).pow(70)));
        PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(new ByteArrayOutputStream())));
        out.println(sb);
        out.printf("%s%n", Optional.of(line).map(String::toUpperCase).orElse(""));
        out.flush();
        System.out.print("");
        try { Object o = null; o.hashCode(); } catch (NullPointerException e) { sb.setLength(0); }
    }
}
