"""The `digitpad` command: the app, and train / eval / predict / gradcheck / lr-find / samples in
a terminal.

    digitpad [gui] [--model PATH]
    digitpad train [--preset video|accurate] [network and training options] [--save PATH]
                   [--model PATH] [--with-mine [K]] [--force] [--json]
    digitpad eval --model PATH [--mine] [--data DIR] [--json]
    digitpad predict --model PATH IMAGE [IMAGE ...]
    digitpad gradcheck [network options]
    digitpad lr-find [network options] [--batch N] [--momentum F] [--steps N] [--json]
    digitpad samples [--json] | samples export DIR [--png] | samples import PATH
    digitpad samples synthetic DIR [--png]

NumPy and Qt are imported inside the commands that need them, so `digitpad --version` and
`--help` answer at once. Problems a user can cause end in one line, `digitpad: error: ...`,
with exit status 1 (2 for a malformed command line, 130 after Ctrl+C), never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

import digitpad
from digitpad.core.errors import SettingsError
from digitpad.core.presets import PRESETS
from digitpad.core.settings import ABOUT, Settings, parse_hidden

# The settings every network command takes, and those only `train` takes. Their choices, ranges
# and help come from digitpad.core.settings (plain Python: parsing needs no NumPy).
NETWORK_SETTINGS = ("hidden", "activation", "output", "cost", "l2")
TRAINING_SETTINGS = ("lr", "batch", "epochs", "momentum", "schedule", "augment", "synthetic")

GRADCHECK_THRESHOLD = 1e-4
"""Backprop and central differences agree to ~1e-7 here; a wrong formula is off by 1e-2 or more."""
GRADCHECK_EPS = 1e-4


class ArgumentParser(argparse.ArgumentParser):
    """argparse, with its error line in digitpad's own format."""

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, f"digitpad: error: {message}\n")


class Terminated(KeyboardInterrupt):
    """SIGTERM (`kill`, a closing terminal, a service manager), handled as Ctrl+C is: files
    being saved are left whole or not at all, and the same message explains the stop."""


def raise_terminated(signum, frame) -> None:
    raise Terminated


def interrupted_status(stop: KeyboardInterrupt) -> int:
    """The shell's convention: 128 + the number of the signal that stopped us."""
    return 128 + (signal.SIGTERM if isinstance(stop, Terminated) else signal.SIGINT)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.run is not run_gui and args.gui_model is not None:
        parser.error("--model before a command is for the app; put it after the command")
    previous_sigterm = signal.getsignal(signal.SIGTERM)
    try:
        if args.run is run_gui:
            return run_gui(args)  # the app sets up its own threads and signals
        signal.signal(signal.SIGTERM, raise_terminated)
        import numpy  # noqa: F401  (loads the BLAS library that threadpoolctl then limits)
        from threadpoolctl import threadpool_limits

        # One BLAS thread unless a command asks for more (see blas_threads): on a busy
        # machine two wait for each other, and a small network's products are too short.
        with threadpool_limits(limits=1, user_api="blas"):
            return args.run(args)
    except KeyboardInterrupt as stop:
        print("\ndigitpad: interrupted", file=sys.stderr)
        return interrupted_status(stop)
    except BrokenPipeError:
        # The reader went away (`digitpad train --json | head -1`): stop quietly.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Exception as e:
        message = user_error_message(e)
        if message is None:
            raise  # a bug in digitpad: the traceback is what its developers need
        print(f"digitpad: error: {message}", file=sys.stderr)
        return 1
    finally:
        signal.signal(signal.SIGTERM, previous_sigterm)


def user_error_message(e: Exception) -> str | None:
    """The one-line explanation of a problem the user can fix, or None for a bug."""
    from digitpad.core.errors import DigitpadError

    if isinstance(e, DigitpadError):
        return str(e)
    if isinstance(e, OSError):
        from digitpad.core.paths import shown

        where = f"{shown(e.filename)}: " if e.filename else ""
        return f"{where}{e.strerror or e}"
    if isinstance(e, MemoryError):
        return "not enough memory: try smaller layers or a smaller batch"
    return None


# ---- the command line -----------------------------------------------------------------------


def build_parser() -> ArgumentParser:
    parser = ArgumentParser(
        prog="digitpad",
        description="Draw digits, train a small neural network on MNIST and watch "
        "backpropagation at work. Without a command, the app opens.",
    )
    parser.add_argument("--version", action="version", version=f"digitpad {digitpad.__version__}")
    parser.add_argument("--model", metavar="PATH", dest="gui_model",
                        help="open the app with this saved network")
    parser.set_defaults(run=run_gui)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    gui = add_command(commands, "gui", run_gui, help="open the app (the default)")
    gui.add_argument("--model", metavar="PATH", dest="gui_model",
                     help="start from this saved network")

    train = add_command(
        commands, "train", run_train, help="train a network on MNIST (and my digits)",
        description="Train a network on MNIST with mini-batch gradient descent. The preset "
        "gives every setting; options override single ones.")
    add_network_options(train)
    for name in TRAINING_SETTINGS:
        add_setting_option(train, name)
    add_data_option(train)
    train.add_argument("--model", metavar="PATH",
                       help="go on training this saved network (its shape stays), rather than "
                       "a new one: fine-tuning")
    train.add_argument("--with-mine", nargs="?", type=int, const=Settings().mine_repeats,
                       metavar="K", help="train on my digits too: their training part (not the "
                       "held-out drawings) K times per epoch (default "
                       f"{Settings().mine_repeats}); the held-out part is measured after every "
                       "epoch as 'your handwriting'")
    train.set_defaults(preset=None)  # with --model: the preset of the model's kind of network
    train.add_argument("--save", metavar="PATH", help="save the trained network (.npz)")
    train.add_argument("--force", action="store_true",
                       help="let a run that failed (diverged, stuck at chance) replace the "
                       "file given to --save")
    train.add_argument("--json", action="store_true", help="print one JSON object per epoch")

    evaluate = add_command(commands, "eval", run_eval,
                           help="test a saved network on the MNIST test set")
    evaluate.add_argument("--model", metavar="PATH", required=True)
    evaluate.add_argument("--mine", action="store_true",
                          help="test on the held-out part of my digits (never trained on) "
                          "instead of MNIST's test set")
    add_data_option(evaluate)
    evaluate.add_argument("--json", action="store_true",
                          help="print a JSON object with accuracy, cost and confusion matrix")

    predict = add_command(commands, "predict", run_predict,
                          help="read the digit in PNG or JPEG images")
    predict.add_argument("--model", metavar="PATH", required=True)
    predict.add_argument("images", nargs="+", metavar="IMAGE")

    gradcheck = add_command(
        commands, "gradcheck", run_gradcheck, help="compare backprop with numerical derivatives",
        description="Check backprop's gradient against central differences "
        "(C(w+e) - C(w-e)) / 2e, in float64, on a few random examples.")
    add_network_options(gradcheck)
    gradcheck.add_argument("--examples", type=int, default=10, metavar="N",
                           help="random examples in the batch (default 10)")
    gradcheck.add_argument("--params", type=int, default=200, metavar="N",
                           help="parameters checked per layer at most, sampled (default 200)")

    lr_find = add_command(
        commands, "lr-find", run_lr_find,
        help="propose a learning rate (a learning-rate range test)",
        description="Train a copy of a new network for one mini-batch at each of STEPS rates "
        "growing exponentially from 0.0001 to 100, and propose a tenth of the rate at which "
        "the cost, averaged, was lowest.")
    add_network_options(lr_find)
    for name in ("batch", "momentum"):
        add_setting_option(lr_find, name)
    lr_find.add_argument("--steps", type=int, default=100, metavar="N",
                         help="rates tried, one mini-batch each (default 100)")
    add_data_option(lr_find)
    lr_find.add_argument("--json", action="store_true",
                         help="print one JSON object per rate tried, then the proposal")

    samples = add_command(
        commands, "samples", run_samples,
        help="your own drawings, kept in the app with the keys 0-9",
        description="'My digits': the drawings you kept in the app by pressing their digit key "
        "on the canvas, stored as the network sees them (28x28, MNIST-style) in digitpad.sqlite "
        "in the data folder. Without an action: how many there are of each digit, and how many "
        "of them are held out (kept for measuring, never trained on).",
        usage="%(prog)s [--json]\n       %(prog)s export DIR [--png] [--json]\n"
              "       %(prog)s import PATH [--json]\n"
              "       %(prog)s synthetic DIR [--png] [--count N] [--seed N] [--json]")
    samples.add_argument("--json", action="store_true",
                         help='print {"count": N, "per_digit": [10 counts]}')
    actions = samples.add_subparsers(title="actions", metavar="ACTION", prog="digitpad samples")
    export = add_command(
        actions, "export", run_samples_export,
        help="write them as a standard IDX pair (as MNIST is distributed)",
        description="Write my digits into DIR as my-digits-images-idx3-ubyte and "
        "my-digits-labels-idx1-ubyte (uncompressed IDX, readable by MNIST tools).")
    add_folder_options(export, "drawing")
    import_ = add_command(
        actions, "import", run_samples_import,
        help="add drawings: an exported IDX pair, or a folder of pictures",
        description="Add the drawings in PATH to my digits: a folder holding "
        "my-digits-images-idx3-ubyte and my-digits-labels-idx1-ubyte (gzipped or not), or a "
        "folder of pictures (PNG, JPEG, ...) each in a sub-folder named after its digit "
        "(PATH/3/a.png) or with a name that starts with it (PATH/3-a.png). All of them are "
        "added, or none; the same drawings are not added twice.")
    import_.add_argument("path", metavar="PATH")
    synthetic = add_command(
        actions, "synthetic", run_samples_synthetic,
        help="write digits drawn from strokes in many hands, to look at",
        description="Write digits the way the accurate preset's training draws them (the "
        "styles of many writing traditions, each in a random writer's hand, rasterized like "
        "the canvas) into DIR as an IDX pair named like an export, so `samples import DIR` "
        "could add them to my digits.")
    add_folder_options(synthetic, "digit")
    synthetic.add_argument("--count", type=int, default=200, metavar="N",
                           help="how many (default 200: the digits and their styles in turn)")
    synthetic.add_argument("--seed", type=int, default=0, help="the same seed, the same digits")
    for action in (export, import_, synthetic):  # --json also after the action
        action.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                            help="print the outcome as one JSON object")
    return parser


def add_command(commands: argparse._SubParsersAction, name: str,
                run: Callable[[argparse.Namespace], int], **options: str) -> ArgumentParser:
    """The command `name` (options: its help, description, usage), carried out by `run`."""
    command = commands.add_parser(name, **options)
    command.set_defaults(run=run)
    return command


def add_network_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--preset", choices=tuple(PRESETS), default="video",
                        help="the settings to start from (default: video)")
    for name in NETWORK_SETTINGS:
        add_setting_option(parser, name)
    parser.add_argument("--seed", type=int, default=0, metavar="N",
                        help="random seed for weights, shuffling and augmentation (default 0)")


def add_setting_option(parser: argparse.ArgumentParser, name: str) -> None:
    """--NAME for the setting NAME of Settings. Without it, the preset's value is used. The
    value is checked by Settings, so a wrong one is one error line that names the setting."""
    about, default = ABOUT[name], getattr(Settings(), name)
    if about.choices is not None:
        parser.add_argument(f"--{name}", choices=about.choices, help=about.help)
    elif isinstance(default, bool):
        parser.add_argument(f"--{name}", action=argparse.BooleanOptionalAction, help=about.help)
    elif about.limits is not None:
        parser.add_argument(f"--{name}", type=type(default), metavar=about.metavar,
                            help=f"{about.help} ({about.limits})")
    else:  # the hidden layers: text, read by parse_hidden
        parser.add_argument(f"--{name}", metavar=about.metavar, help=about.help)


def add_data_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", metavar="DIR",
                        help="folder with the four MNIST IDX files (default: the bundled copy)")


def add_folder_options(parser: argparse.ArgumentParser, what: str) -> None:
    """DIR, the folder written to, and --png for a picture of each `what` in it too."""
    parser.add_argument("directory", metavar="DIR", help="folder to write to (created if need be)")
    parser.add_argument("--png", action="store_true",
                        help=f"also write each {what} as DIR/png/<digit>/<index>.png")


def settings_from(args: argparse.Namespace, preset: Settings | None = None) -> Settings:
    """The chosen preset (or `preset`) with every setting given as an option in its place."""
    from dataclasses import replace

    changes = {name: getattr(args, name) for name in ABOUT
               if getattr(args, name, None) is not None}
    if args.hidden is not None:
        changes["hidden"] = parse_hidden(args.hidden)
    if hasattr(args, "with_mine"):  # `train` trains on my digits only when asked to
        changes["train_on"] = "mnist" if args.with_mine is None else "both"
        if args.with_mine is not None:
            changes["mine_repeats"] = args.with_mine
    if args.seed < 0:
        raise SettingsError(f"the seed must be 0 or more, not {args.seed}")
    base = preset or PRESETS[args.preset or "video"]
    return replace(base, **changes)  # checked: SettingsError if it cannot work


# ---- digitpad [gui] -------------------------------------------------------------------------


def run_gui(args: argparse.Namespace) -> int:
    from digitpad.core.errors import DigitpadError

    check_display()
    try:
        from digitpad.app import main as app_main
    except ImportError as e:
        if e.name == "digitpad.app":
            raise DigitpadError("the desktop app is not part of this build yet; "
                                "the train, eval, predict and gradcheck commands work") from None
        raise DigitpadError(f"the desktop app cannot start: {e}") from None
    return app_main(args.gui_model) or 0


def check_display() -> None:
    """On Linux without a display, Qt would abort the process; say what is wrong instead."""
    from digitpad.core.errors import DigitpadError

    names = ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")
    if sys.platform.startswith("linux") and not any(os.environ.get(n) for n in names):
        raise DigitpadError("there is no display to open the app on (DISPLAY and "
                            "WAYLAND_DISPLAY are not set); the train, eval, predict and "
                            "gradcheck commands work without one")


# ---- digitpad train -------------------------------------------------------------------------


def run_train(args: argparse.Namespace) -> int:
    from digitpad.core import storage
    from digitpad.core.diagnosis import Recorder, diagnose, probe_inputs
    from digitpad.core.digit_model import save_digit_model
    from digitpad.core.errors import DivergedError
    from digitpad.core.mnist import load_mnist
    from digitpad.core.training_run import train_epochs
    from digitpad.progress_bar import ProgressBar

    # Everything that can be checked is checked before minutes of training.
    settings, network, story = starting_point(args)
    if args.save:
        storage.check_writable(args.save)
    data = load_mnist(args.data)
    mine = my_digits_to_train_on(settings)
    if not args.json:
        print(f"training {network.describe()}" + (f", from {args.model}" if args.model else ""))
        print(f"  learning rate {settings.lr:g} ({settings.schedule}), batch {settings.batch}, "
              f"momentum {settings.momentum:g}, L2 {settings.l2:g}, "
              f"augmentation {'on' if settings.augment else 'off'}, {settings.epochs} epochs, "
              f"seed {args.seed}", flush=True)
        if settings.synthetic:
            from digitpad.core.hands import hands_count

            count = hands_count(len(data.train_labels), settings.synthetic)
            print(f"  {settings.synthetic:.0%} of every epoch synthesized: {count:,} digits "
                  "drawn from strokes in many hands, made first", flush=True)
        if mine is not None:
            print(f"  my digits: {plural(len(mine[0].labels), 'drawing')} to train on, each "
                  f"{settings.mine_repeats} times per epoch; "
                  f"{plural(len(mine[1].labels), 'held-out drawing')} to measure your "
                  "handwriting", flush=True)
    if mine is not None and not len(mine[1].labels):
        print("digitpad: note: none of my digits is held out yet (one in five of each digit "
              "is), so your handwriting is not measured", file=sys.stderr)

    bar = ProgressBar(sys.stderr, settings.epochs, settings.batch) if sys.stderr.isatty() else None
    on_batch = None if bar is None else (lambda p: bar.update(*p))
    # The run's diagnosis reads every step's cost and gradient sizes and, after each epoch, the
    # test score and how the network answers a fixed batch of training digits.
    recorder, probe = Recorder(), probe_inputs(data.train_images)
    shown, findings = set(), []
    started = time.perf_counter()
    epoch, report = 0, None
    threads = use_cores(network, settings.batch, running=0)
    try:
        for report in train_epochs(network, data, settings, args.seed, on_batch,
                                   recorder.step, mine):
            epoch = report.epoch
            if bar is not None:
                bar.clear()
            print_epoch(report, settings.epochs, args.json)
            recorder.epoch(report.test_accuracy, report.test_cost)
            findings = diagnose(network, recorder.history(len(network.weights)), probe, settings)
            print_findings(findings, shown, report.epoch, args.json)
            threads = use_cores(network, settings.batch, running=threads)
        seconds = time.perf_counter() - started
        if args.save:
            check_may_replace(args.save, findings, args.force)
            # With its story: the settings, epochs and score it was trained to. Atomic: the
            # file is either the old one or the new one.
            save_digit_model(args.save, network, story.continued(
                settings, report.epoch, recorder.steps, report.test_accuracy,
                report.mine_accuracy))
    except KeyboardInterrupt as stop:
        if bar is not None:
            bar.clear()
        kept = f"; {args.save} was not written" if args.save else ""
        print(f"digitpad: training interrupted after {epoch} of {settings.epochs} epochs{kept}",
              file=sys.stderr)
        return interrupted_status(stop)
    except DivergedError:
        if bar is not None:
            bar.clear()
        raise
    if args.json:
        print(json.dumps({"test_accuracy": report.test_accuracy, "test_cost": report.test_cost,
                          **mine_score(report), "epochs": report.epoch,
                          "seconds": round(seconds, 2), "model": args.save}), flush=True)
    else:
        print(f"test accuracy {report.test_accuracy:.2%} after {report.epoch} epochs "
              f"({seconds:.1f} s)")
        if report.mine_count:
            print(f"your handwriting {report.mine_accuracy:.2%} of "
                  f"{plural(report.mine_count, 'held-out drawing')} of my digits")
        if args.save:
            print(f"saved to {args.save}")
    return 0


def starting_point(args: argparse.Namespace):  # noqa: ANN201 - (Settings, Network, ModelStory)
    """The settings, the network and its story a run starts from: a new network of the
    options' shape, or with --model the saved one, which keeps its shape (the options may not
    change it) and, unless --preset says otherwise, the learning settings saved with it."""
    from digitpad.core.digit_model import read_digit_model
    from digitpad.core.errors import DigitpadError
    from digitpad.core.model_story import NEW_NETWORK
    from digitpad.core.paths import shown

    if args.model is None:
        settings = settings_from(args)
        return settings, settings.new_network(args.seed), NEW_NETWORK
    network, story = read_digit_model(args.model)
    if args.preset:
        its_own = PRESETS[args.preset].with_network_of(network)
    else:
        its_own = story.settings or preset_like(network).with_network_of(network)
    settings = settings_from(args, its_own)
    changed = [f"--{name}" for name in ("hidden", "activation", "output", "cost")
               if getattr(settings, name) != getattr(its_own, name)]
    if changed:
        raise DigitpadError(f"{shown(args.model)} holds a {network.describe()} network, and "
                            f"going on from it keeps that network: leave out {' '.join(changed)}")
    return settings, network, story


def preset_like(network) -> Settings:  # noqa: ANN001 - a Network
    """The preset that builds networks like this one (its learning settings suit it), else
    the video's with this network's shape."""
    for preset in PRESETS.values():
        if preset.with_network_of(network) == preset:
            return preset
    return PRESETS["video"]


def my_digits_to_train_on(settings: Settings):  # noqa: ANN201 - (Samples, Samples) or None
    """My digits (to train on, held out) if the settings train on them; DataError if there are
    too few."""
    from digitpad.core.training_set import check_enough_to_train

    if settings.train_on == "mnist":
        return None
    mine = read_my_digits()
    check_enough_to_train(mine[0])
    return mine


def read_my_digits():  # noqa: ANN201 - (Samples, Samples)
    """My digits, split into (to train on, held out); DataError if there are none."""
    from digitpad.core.my_digits import is_started
    from digitpad.data_dir import user_data_dir

    if not is_started(user_data_dir()):  # looking creates nothing
        raise no_drawings_error()
    with open_my_digits() as store:
        mine = store.split()
        warn_damaged(store)
    if not len(mine[0].labels) + len(mine[1].labels):
        raise no_drawings_error()
    return mine


def no_drawings_error():  # noqa: ANN201 - a DataError
    from digitpad.core.errors import DataError
    from digitpad.core.paths import shown
    from digitpad.core.training_set import NO_DRAWINGS_HINT
    from digitpad.data_dir import my_digits_path

    return DataError(f"there are no drawings in my digits yet ({shown(my_digits_path())}): "
                     f"{NO_DRAWINGS_HINT}")


def mine_score(report) -> dict:  # noqa: ANN001 - an EpochReport
    """The score on my digits' held-out part, for a JSON line (nothing if none was measured)."""
    if not report.mine_count:
        return {}
    return {"mine_accuracy": report.mine_accuracy, "mine_count": report.mine_count}


def use_cores(network, batch: int, running: int) -> int:  # noqa: ANN001 - a Network
    """Let BLAS use as many threads as help this network now; returns how many."""
    from threadpoolctl import threadpool_limits

    from digitpad.blas_threads import blas_threads

    threads = blas_threads(network.sizes, batch, running)
    threadpool_limits(limits=threads, user_api="blas")  # main() restores the limit at the end
    return threads


def print_epoch(report, epochs: int, as_json: bool) -> None:
    if as_json:
        print(json.dumps({"epoch": report.epoch, "epochs": epochs, "lr": report.lr,
                          "cost": report.cost, "test_accuracy": report.test_accuracy,
                          "test_cost": report.test_cost, **mine_score(report),
                          "seconds": round(report.seconds, 3)}), flush=True)
    else:
        mine = (f"your handwriting {report.mine_accuracy:.2%}  " if report.mine_count
                else "")
        print(f"epoch {report.epoch:>{len(str(epochs))}}/{epochs}  lr {report.lr:<8.4g} "
              f"cost {report.cost:.4f}  test accuracy {report.test_accuracy:.2%}  {mine}"
              f"({report.seconds:.1f} s)", flush=True)


def print_findings(findings, shown: set, epoch: int, as_json: bool) -> None:
    """Each finding of the run's diagnosis once, after the epoch that first shows it: a line
    `warning: …`, or with --json an object with "diagnosis" (its kind)."""
    for finding in findings:
        if finding.key in shown:
            continue
        shown.add(finding.key)
        if as_json:
            print(json.dumps({**finding.as_json(), "epoch": epoch}), flush=True)
        else:
            print(f"warning: {finding.message} Try {fix_options(finding.fix)}.", flush=True)


def fix_options(fix: dict) -> str:
    """A suggested change of settings as the options that make it: {"lr": 0.1} -> --lr 0.1."""
    return " ".join(f"--{name} {value:g}" if isinstance(value, float) else f"--{name} {value}"
                    for name, value in fix.items())


def check_may_replace(path: str, findings, force: bool) -> None:
    """A run the diagnosis calls failed does not replace an existing file, unless --force."""
    from digitpad.core.diagnosis import is_failed
    from digitpad.core.errors import DigitpadError

    if force or not os.path.lexists(path) or not is_failed(findings):
        return
    stuck = [f for f in findings if f.kind == "stuck_at_chance"]
    if stuck:
        accuracy = stuck[0].evidence["test_accuracy"]
        why = f"it is stuck at chance, {accuracy:.2%} of the test digits right"
        fix = stuck[0].fix
    else:
        diverged = next(f for f in findings if f.kind == "diverging")
        why = f"it diverged, its cost rose to {diverged.evidence['peak_cost']:.3g}"
        fix = diverged.fix
    raise DigitpadError(f"{path} was not replaced: this run failed ({why}); try "
                        f"{fix_options(fix)}, or add --force to replace it anyway")


# ---- digitpad eval --------------------------------------------------------------------------


def run_eval(args: argparse.Namespace) -> int:
    from digitpad.core.digit_model import read_digit_model
    from digitpad.core.evaluation import CHUNK, evaluate
    from digitpad.core.mnist import load_mnist
    from digitpad.core.model_story import UNKNOWN

    network, story = read_digit_model(args.model)
    if args.mine:
        return eval_mine(args, network)
    data = load_mnist(args.data)
    use_cores(network, CHUNK, running=0)
    result = evaluate(network, data.test_images, data.test_labels)
    if args.json:
        print(json.dumps({"model": args.model, "test_accuracy": result.accuracy,
                          "test_cost": result.cost, "examples": result.count,
                          "confusion": result.confusion.tolist(),
                          "story": None if story == UNKNOWN else story.as_json()}))
        return 0
    print(f"{args.model}: {network.describe()}")
    print(f"test accuracy {result.accuracy:.2%} ({int(result.confusion.trace())} of "
          f"{result.count}), cost {result.cost:.4f}")
    print()
    print(story_lines(story))
    print()
    print(confusion_table(result.confusion))
    return 0


def eval_mine(args: argparse.Namespace, network) -> int:  # noqa: ANN001 - a Network
    """How well `network` reads the held-out part of my digits (never trained on)."""
    from digitpad.core.errors import DataError
    from digitpad.core.evaluation import evaluate

    train, held_out = read_my_digits()
    if not len(held_out.labels):
        raise DataError(f"none of my {plural(len(train.labels), 'drawing')} is held out yet: "
                        "one in five of each digit is (the 3rd, 8th, ...), so keep a few more "
                        "of each digit to measure how well a network reads your hand")
    result = evaluate(network, held_out.images, held_out.labels)
    right = int(result.confusion.trace())
    if args.json:
        print(json.dumps({"model": args.model, "mine_accuracy": result.accuracy,
                          "mine_cost": result.cost, "examples": result.count,
                          "confusion": result.confusion.tolist()}))
        return 0
    print(f"{args.model}: {network.describe()}")
    print(f"your handwriting: {result.accuracy:.2%} of the held-out part of my digits right "
          f"({right} of {result.count}), cost {result.cost:.4f}")
    print()
    print(confusion_table(result.confusion))
    return 0


def story_lines(story) -> str:  # noqa: ANN001 - a ModelStory
    """What the model file says of how it was trained, or that it says nothing."""
    from digitpad.core.model_story import UNKNOWN

    if story == UNKNOWN:
        return "its story: not in the file (format 1, saved by an older digitpad)"
    rows = story.described()
    width = max(len(what) for what, _ in rows)
    return "\n".join(["its story, as saved with it:",
                      *(f"  {what:<{width}}  {how}" for what, how in rows)])


def confusion_table(confusion) -> str:
    """Rows = true digit, columns = the network's answer; the diagonal is what it got right."""
    k = len(confusion)
    width = max(len(str(int(confusion.max()))), 3)
    lines = ["true digit (rows) vs predicted (columns)",
             "      " + " ".join(f"{j:>{width}}" for j in range(k))]
    for i, row in enumerate(confusion):
        cells = " ".join(f"{int(c):>{width}}" if c else f"{'.':>{width}}" for c in row)
        lines.append(f"  {i:>2}  {cells}")
    return "\n".join(lines)


# ---- digitpad predict -----------------------------------------------------------------------


def run_predict(args: argparse.Namespace) -> int:
    from digitpad.core.digit_model import load_digit_model
    from digitpad.core.errors import DigitpadError
    from digitpad.core.paths import shown
    from digitpad.core.preprocess import to_mnist
    from digitpad.image_io import read_ink

    network = load_digit_model(args.model)
    failed = False
    for path in args.images:
        try:
            digit = to_mnist(read_ink(path))
        except DigitpadError as e:
            print(f"digitpad: error: {e}", file=sys.stderr)
            failed = True
            continue
        if digit is None:
            print(f"{shown(path)}: empty (no ink found)", flush=True)
            continue
        outputs = network.forward(digit.reshape(1, -1))[0]
        # Softmax outputs are probabilities; sigmoid outputs are scored independently, so
        # show each one's share of the total instead.
        share = outputs / outputs.sum()
        best = int(share.argmax())
        print(f"{shown(path)}: {best} ({format_percent(share[best])})", flush=True)
    return 1 if failed else 0


def format_percent(p: float) -> str:
    """98.1%, but >99.9% rather than a rounded-up 100.0% the network did not say."""
    return f"{p:.1%}" if p < 0.9995 or p == 1.0 else ">99.9%"


# ---- digitpad gradcheck ---------------------------------------------------------------------


def run_gradcheck(args: argparse.Namespace) -> int:
    import numpy as np

    from digitpad.core.errors import DigitpadError
    from digitpad.core.gradcheck import gradient_check
    settings = settings_from(args)
    if args.examples < 1 or args.params < 1:
        raise SettingsError("--examples and --params must be at least 1")
    network = settings.new_network(args.seed)
    rng = np.random.default_rng(args.seed)
    # Random biases: with the initial zeros a ReLU can sit exactly on its kink, where the
    # derivative does not exist and the two methods may rightly disagree.
    for b in network.biases:
        b[:] = rng.normal(0.0, 0.1, b.shape)
    X = rng.random((args.examples, network.sizes[0]))
    y = rng.integers(0, network.sizes[-1], args.examples)

    print(f"gradient check: {network.describe()}, L2 {settings.l2:g}")
    print(f"  {args.examples} random examples, float64, central differences with "
          f"epsilon {GRADCHECK_EPS:g}")
    results = gradient_check(network, X, y, l2=settings.l2, eps=GRADCHECK_EPS,
                             max_params_per_layer=args.params, seed=args.seed)
    for r in results:
        total = r.shape[0] * r.shape[1] + r.shape[1]
        checked = (f"all {total} parameters" if r.checked == total
                   else f"{r.checked} of {total} parameters, sampled")
        print(f"layer {r.layer} ({r.shape[0]} -> {r.shape[1]}): worst relative error "
              f"{r.worst_relative_error:.1e}  ({checked})")
    worst = max(results, key=lambda r: r.worst_relative_error)
    if worst.worst_relative_error > GRADCHECK_THRESHOLD:
        raise DigitpadError(f"backprop disagrees with the numerical gradient in layer "
                            f"{worst.layer} (relative error {worst.worst_relative_error:.1e}, "
                            f"more than {GRADCHECK_THRESHOLD:g})")
    print(f"ok: backprop matches the numerical gradient (every error below "
          f"{GRADCHECK_THRESHOLD:g})")
    return 0


# ---- digitpad lr-find ----------------------------------------------------------------------


def run_lr_find(args: argparse.Namespace) -> int:
    from digitpad.core.lr_finder import lr_range_test
    from digitpad.core.mnist import load_mnist

    settings = settings_from(args)
    data = load_mnist(args.data)
    network = settings.new_network(args.seed)
    if not args.json:
        print(f"learning-rate range test: {network.describe()}")
        print(f"  batch {settings.batch}, momentum {settings.momentum:g}, L2 {settings.l2:g}: "
              f"one mini-batch at each of {args.steps} growing rates, on a copy", flush=True)
    test = lr_range_test(network, data.train_images, data.train_labels, settings.batch,
                         settings.momentum, settings.l2, steps=args.steps, seed=args.seed)
    lowest = float(test.rates[test.smoothed.argmin()])
    if args.json:
        for rate, cost, smoothed in zip(test.rates, test.costs, test.smoothed):
            print(json.dumps({"lr": float(rate), "cost": float(cost),
                              "smoothed_cost": float(smoothed)}))
        print(json.dumps({"proposed_lr": test.proposed, "lowest_cost_lr": lowest,
                          "steps": len(test.rates)}), flush=True)
        return 0
    print(cost_by_rate(test.rates, test.smoothed))
    print(f"proposed learning rate: {test.proposed:g} (a tenth of {lowest:.3g}, where the "
          "averaged cost was lowest)")
    print(f"try: {train_command(args, test.proposed)}")
    return 0


def train_command(args: argparse.Namespace, lr: float) -> str:
    """The `digitpad train` command line for the network options of `args`, at rate `lr`."""
    words = ["digitpad", "train", "--preset", args.preset]
    for name in ("hidden", "activation", "output", "cost", "l2", "batch", "momentum", "data"):
        if getattr(args, name, None) is not None:
            words += [f"--{name}", str(getattr(args, name))]
    if args.seed:
        words += ["--seed", str(args.seed)]
    return " ".join(words + ["--lr", f"{lr:g}"])


def cost_by_rate(rates, smoothed, rows: int = 12, width: int = 40) -> str:
    """About `rows` of the rates tried, each with its averaged cost as a number and a bar."""
    picked = sorted({round(i * (len(rates) - 1) / (rows - 1)) for i in range(rows)})
    top = max(float(smoothed[i]) for i in picked)
    lines = [f"  {'rate':>9}  averaged cost"]
    for i in picked:
        bar = "#" * max(1, round(width * float(smoothed[i]) / top))
        lines.append(f"  {rates[i]:>9.3g}  {smoothed[i]:<8.4g} {bar}")
    return "\n".join(lines)


# ---- digitpad samples ----------------------------------------------------------------------


def open_my_digits():
    """My digits in the data folder; what opening them did (a damaged file set aside, the old
    my-digits.npz migrated) is said once, on stderr."""
    from digitpad.core.my_digits import MyDigits
    from digitpad.data_dir import user_data_dir

    store = MyDigits.open(user_data_dir())
    for notice in store.notices:
        print(f"digitpad: note: {notice}", file=sys.stderr)
    return store


def warn_damaged(store) -> None:
    message = store.damaged_message()
    if message:
        print(f"digitpad: warning: {message}", file=sys.stderr)


def run_samples(args: argparse.Namespace) -> int:
    from digitpad.core.my_digits import is_started
    from digitpad.core.paths import shown
    from digitpad.data_dir import my_digits_path, user_data_dir

    if not is_started(user_data_dir()):  # looking creates nothing
        counts, path = [0] * 10, my_digits_path()
    else:
        with open_my_digits() as store:
            counts, path = store.per_digit(), store.path
            held_out = store.per_digit(held_out_only=True)
            warn_damaged(store)
    total = sum(counts)
    if args.json:
        print(json.dumps({"count": total, "per_digit": counts}))
        return 0
    if not total:
        print(f"my digits: no drawings yet ({shown(path)})")
        print("In the app, draw a digit and press its key (0-9) on the canvas to keep it.")
        return 0
    print(f"my digits: {plural(total, 'drawing')} in {shown(path)}")
    print(per_digit_table(counts, held_out))
    return 0


def per_digit_table(counts: list[int], held_out: list[int] | None = None) -> str:
    """Aligned rows: the digits 0-9, how many drawings there are of each, how many held out."""
    width = max(len(str(max(counts))), 3)
    rows = [("digit", list(range(len(counts)))), ("drawings", counts)]
    if held_out is not None:
        rows.append(("held out", held_out))
    return "\n".join(f"  {name:<9} {' '.join(f'{c:>{width}}' for c in values)}"
                     for name, values in rows)


def plural(n: int, noun: str) -> str:
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def run_samples_export(args: argparse.Namespace) -> int:
    from digitpad.core.my_digits import is_started
    from digitpad.data_dir import user_data_dir

    samples = None
    if is_started(user_data_dir()):
        with open_my_digits() as store:
            samples = store.samples()
            warn_damaged(store)
    if samples is None or not len(samples.labels):
        raise no_drawings_error()
    return write_idx_and_pngs(samples, args, ("exported", "exported"), "drawing")


def write_idx_and_pngs(samples, args: argparse.Namespace, verb: tuple[str, str],
                       noun: str) -> int:
    """Write samples into args.directory as an IDX pair, and as PNGs with --png; say so.
    verb: the JSON key for how many, and the word for it in a sentence."""
    from digitpad.core.paths import shown
    from digitpad.core.samples import export_idx

    images_path, labels_path = export_idx(samples, args.directory)
    folder = export_pngs(samples, Path(args.directory) / "png") if args.png else None
    if args.json:
        print(json.dumps({verb[0]: len(samples.labels), "images": str(images_path),
                          "labels": str(labels_path), "png": folder and str(folder)}))
        return 0
    print(f"{verb[1]} {plural(len(samples.labels), noun)} to {shown(images_path)} and "
          f"{shown(labels_path.name)}")
    if folder is not None:
        print(f"and one PNG per {noun} in {shown(folder)}{os.sep}<digit>{os.sep}<index>.png")
    return 0


def run_samples_synthetic(args: argparse.Namespace) -> int:
    from digitpad.core.errors import DataError
    from digitpad.core.hands import synthetic_images
    from digitpad.core.samples import Samples

    if not 1 <= args.count <= 100_000:
        raise DataError(f"--count must be from 1 to 100,000, not {args.count}")
    samples = Samples(*synthetic_images(args.count, args.seed))
    return write_idx_and_pngs(samples, args, ("written", "wrote"), "synthesized digit")


def export_pngs(samples, folder: Path) -> Path:
    """Each drawing as folder/<digit>/<index>.png, <index> its position in the IDX pair."""
    from digitpad.core.errors import DataError
    from digitpad.core.paths import shown
    from digitpad.image_io import write_png

    width = max(5, len(str(len(samples.labels) - 1)))
    try:
        for digit in sorted(set(samples.labels.tolist())):
            (folder / str(digit)).mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise DataError(f"cannot create {shown(e.filename or folder)}: {e.strerror or e}") from None
    for index, (image, label) in enumerate(zip(samples.images, samples.labels)):
        write_png(folder / str(label) / f"{index:0{width}d}.png", image)
    return folder


def run_samples_import(args: argparse.Namespace) -> int:
    from digitpad.core.errors import DataError
    from digitpad.core.paths import shown
    from digitpad.core.samples import IMAGES_FILE, LABELS_FILE, read_idx_pair
    from digitpad.picture_folder import read_picture_folder

    source = Path(args.path)
    if not source.exists():
        raise DataError(f"{shown(source)} does not exist")
    if not source.is_dir():
        raise DataError(f"{shown(source)} is not a folder: give the folder that holds "
                        f"{IMAGES_FILE} and {LABELS_FILE}, or pictures named or foldered by "
                        "their digit")
    with open_my_digits() as store:
        room = store.room()
        # Everything is read and checked before anything is written: all of it, or nothing.
        has_pair = any(p.name.startswith(IMAGES_FILE) for p in source.iterdir())
        new = (read_idx_pair(source, at_most=room) if has_pair
               else read_picture_folder(source, at_most=room))
        added = store.add_samples(new)
        total = store.count()
    already = len(new.labels) - added
    if args.json:
        print(json.dumps({"added": added, "already_kept": already, "count": total,
                          "from": str(source), "store": str(store.path)}))
        return 0
    if not added:
        drawings = "its drawing is" if already == 1 else f"all its {already:,} drawings are"
        print(f"added nothing from {shown(source)}: {drawings} already in my digits ({total:,}, "
              f"in {shown(store.path)})")
        return 0
    others = ""
    if already:
        others = f"; {already:,} other{'s were' if already > 1 else ' was'} already there"
    print(f"added {plural(added, 'drawing')} from {shown(source)} to my digits (now {total:,}, "
          f"in {shown(store.path)}){others}")
    return 0
