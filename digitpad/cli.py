def main(argv=None) -> int:
    print("digitpad: the command line is being built")
    return 0
