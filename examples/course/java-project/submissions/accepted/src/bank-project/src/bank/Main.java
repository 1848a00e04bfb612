package bank;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;

/** Reads one command per line and prints "ok", a balance or "error: ...". */
public class Main {
    public static void main(String[] args) throws IOException {
        Bank bank = new Bank();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        StringBuilder out = new StringBuilder();
        String line;
        while ((line = in.readLine()) != null) {
            String[] w = line.trim().split("\\s+");
            if (w[0].isEmpty()) {
                continue;
            }
            try {
                switch (w[0]) {
                    case "open" -> bank.open(w[1], Long.parseLong(w[2]));
                    case "deposit" -> bank.deposit(w[1], Long.parseLong(w[2]));
                    case "withdraw" -> bank.withdraw(w[1], Long.parseLong(w[2]));
                    case "transfer" -> bank.transfer(w[1], w[2], Long.parseLong(w[3]));
                    case "balance" -> {
                        out.append(bank.balance(w[1])).append('\n');
                        continue;
                    }
                    default -> throw new BankException("unknown command " + w[0]);
                }
                out.append("ok\n");
            } catch (BankException e) {
                out.append("error: ").append(e.getMessage()).append('\n');
            }
        }
        System.out.print(out);
    }
}
