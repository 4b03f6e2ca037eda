"""An official integration, unchanged: neptune-optuna's NeptuneCallback."""

import neptune
import neptune_optuna.impl as optuna_utils
import optuna


def test_optuna_study_is_logged_through_neptune_optuna(nereid):
    run = neptune.init_run(capture_hardware_metrics=False, source_files=[])
    callback = optuna_utils.NeptuneCallback(run, plots_update_freq="never", log_plot_contour=False)
    study = optuna.create_study(direction="minimize")
    study.optimize(lambda trial: (trial.suggest_float("x", -10, 10) - 2) ** 2, n_trials=5, callbacks=[callback])
    run_id = run["sys/id"].fetch()
    run.stop()

    logged = neptune.init_run(with_id=run_id, mode="read-only")
    assert len(logged["trials/values"].fetch_values()) == 5
    assert logged["best/value"].fetch() == study.best_value
    assert logged["best/params"].fetch()["x"] == study.best_params["x"]
    logged.stop()
