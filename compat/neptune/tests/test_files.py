"""Files, images, file sets and artifacts."""

import hashlib
import io
import os
import zipfile

import neptune
from neptune.types import File
from PIL import Image

QUIET = dict(capture_hardware_metrics=False, capture_stdout=False, capture_stderr=False, source_files=[])


def reopen(run):
    run_id = run["sys/id"].fetch()
    run.stop()
    return neptune.init_run(with_id=run_id, mode="read-only")


def test_file_from_content_downloads_under_its_name_and_extension(nereid, in_temp_dir):
    run = neptune.init_run(**QUIET)
    run["reports/summary"].upload(File.from_content("hello file", extension="txt"))
    run = reopen(run)
    assert run["reports/summary"].fetch_extension() == "txt"
    run["reports/summary"].download()
    with open(in_temp_dir / "summary.txt") as file:
        assert file.read() == "hello file"
    run.stop()


def test_a_file_above_the_multipart_threshold_arrives_whole(nereid, in_temp_dir):
    data = os.urandom(12 * 1024 * 1024 + 123)
    (in_temp_dir / "weights.bin").write_bytes(data)
    run = neptune.init_run(**QUIET)
    run["model/weights"].upload(str(in_temp_dir / "weights.bin"))
    run = reopen(run)
    os.mkdir("out")
    run["model/weights"].download("out")
    assert hashlib.sha256((in_temp_dir / "out" / "weights.bin").read_bytes()).digest() == hashlib.sha256(data).digest()
    run.stop()


def test_images_and_image_series_come_back_pixel_for_pixel(nereid, in_temp_dir):
    images = [Image.new("RGB", (16, 8), color=(i * 40, 10, 200)) for i in range(3)]
    run = neptune.init_run(**QUIET)
    run["single"].upload(File.as_image(images[0]))
    for image in images:
        run["gallery"].append(File.as_image(image))
    run = reopen(run)
    run["gallery"].download("all")
    for i, image in enumerate(images):
        assert list(Image.open(in_temp_dir / "all" / f"{i}.png").convert("RGB").getdata()) == list(image.getdata())
    run["single"].download("single.png")
    assert list(Image.open("single.png").convert("RGB").getdata()) == list(images[0].getdata())
    run.stop()


def test_upload_files_of_a_folder_and_its_zip_download(nereid, in_temp_dir):
    folder = in_temp_dir / "data"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text("A")
    (folder / "sub" / "b.txt").write_text("BB")
    run = neptune.init_run(**QUIET)
    run["dataset"].upload_files(str(folder))
    run = reopen(run)
    # Paths are relative to the folder the files share (here the working directory).
    assert [entry.name for entry in run["dataset"].list_fileset_files()] == ["data"]
    listing = {entry.name: entry for entry in run["dataset"].list_fileset_files("data")}
    assert listing["a.txt"].file_type == "file" and listing["a.txt"].size == 1
    assert listing["sub"].file_type == "directory"
    run["dataset"].download("dataset.zip")
    with zipfile.ZipFile("dataset.zip") as archive:
        assert archive.read("data/a.txt") == b"A"
        assert archive.read("data/sub/b.txt") == b"BB"
        assert set(archive.namelist()) == {"/", "data/", "data/sub/", "data/a.txt", "data/sub/b.txt"}
    run.stop()


def test_track_files_hash_matches_the_clients_and_versions_merge(nereid, in_temp_dir):
    (in_temp_dir / "art").mkdir()
    (in_temp_dir / "art" / "one.txt").write_text("1")
    (in_temp_dir / "two.txt").write_text("2")
    run = neptune.init_run(**QUIET)
    run["both"].track_files(str(in_temp_dir / "art"))
    run["both"].track_files(str(in_temp_dir / "two.txt"))
    run.wait()
    together = run["both"].fetch_hash()
    run["separate"].track_files(str(in_temp_dir / "art"))
    run.wait()
    first = run["separate"].fetch_hash()
    run = reopen(run)
    files = {entry.file_path for entry in run["both"].fetch_files_list()}
    assert files == {"one.txt", "two.txt"}
    assert together != first

    # The client's own hash of the merged listing equals what the server computed.
    from neptune.internal.artifacts.file_hasher import FileHasher

    assert FileHasher.get_artifact_hash_without_metadata(run["both"].fetch_files_list()) == together
    run.stop()
