package bank;

import java.util.HashMap;
import java.util.Map;

/** All accounts, by name. */
public class Bank {
    private final Map<String, Account> accounts = new HashMap<>();

    public void open(String name, long amount) throws BankException {
        if (accounts.containsKey(name)) {
            throw new BankException("account exists");
        }
        accounts.put(name, new Account(name, amount));
    }

    public Account get(String name) throws BankException {
        Account account = accounts.get(name);
        if (account == null) {
            throw new BankException("no such account");
        }
        return account;
    }

    public void deposit(String name, long amount) throws BankException {
        get(name).deposit(amount);
    }

    public void withdraw(String name, long amount) throws BankException {
        get(name).withdraw(amount);
    }

    public void transfer(String from, String to, long amount) throws BankException {
        Account source = get(from);
        Account target = get(to);
        source.withdraw(amount);
        target.deposit(amount);
    }

    public long balance(String name) throws BankException {
        return get(name).balance();
    }
}
