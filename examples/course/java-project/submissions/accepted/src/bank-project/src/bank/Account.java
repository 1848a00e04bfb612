package bank;

/** One account: a name and a balance that never goes below zero. */
public class Account {
    private final String name;
    private long balance;

    public Account(String name, long balance) {
        this.name = name;
        this.balance = balance;
    }

    public String name() {
        return name;
    }

    public long balance() {
        return balance;
    }

    public void deposit(long amount) {
        balance += amount;
    }

    public void withdraw(long amount) throws BankException {
        if (amount > balance) {
            throw new BankException("insufficient funds");
        }
        balance -= amount;
    }
}
