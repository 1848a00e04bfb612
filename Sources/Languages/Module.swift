// Languages: toolchain profiles (languages/*.yml), the registry, resolution and self-tests.
