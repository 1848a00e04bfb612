// Waits for a terminating "0 0" line that the input does not have: at end of
// input readLine() returns null at once, every time, so this spins forever.
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;

public class Main {
    public static void main(String[] args) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        StringBuilder out = new StringBuilder();
        while (true) {
            String line = in.readLine();
            if (line == null) {
                continue;
            }
            String[] parts = line.trim().split("\\s+");
            long a = Long.parseLong(parts[0]);
            long b = Long.parseLong(parts[1]);
            if (a == 0 && b == 0) {
                break;
            }
            out.append(a + b).append('\n');
        }
        System.out.print(out);
    }
}
