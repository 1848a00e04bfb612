// Reserves 512 MiB of buffers, 1 MiB at a time, before reading anything: the
// heap (-Xmx128m) runs out and the JVM throws OutOfMemoryError.
import java.util.ArrayList;
import java.util.List;
import java.util.Scanner;

public class Main {
    public static void main(String[] args) {
        List<long[]> buffers = new ArrayList<>();
        for (int i = 0; i < 512; i++) {
            buffers.add(new long[128 * 1024]);
        }
        Scanner in = new Scanner(System.in);
        while (in.hasNextLong()) {
            System.out.println(in.nextLong() + in.nextLong() + buffers.size() * 0L);
        }
    }
}
