//! The file processing example in JSONata: resizes the images of a
//! directory, then reads the colour at the centre of each resized image.
//! The first task keeps the execution input in a workflow variable; the
//! second gives its activity the resized images' directory as `arguments`
//! and writes the output from the variable and its result.
//!
//! `cargo run --example file_processing_jsonata` makes four small images in
//! a temporary directory and prints the execution's output: the input, with
//! the centres' colours under `res`. Images are PPM files (plain-text RGB),
//! so the example needs no image library.
//!
//! It runs on the engine `SFINI_ENGINE` names: the local engine by default;
//! `SFINI_ENGINE=aws SFINI_ROLE_ARN=arn:aws:iam::ACCOUNT:role/NAME` runs it on
//! AWS Step Functions, with the region and credentials of the environment,
//! the shared AWS files or the instance (the role is the one executions run
//! as).

use std::fs;
use std::path::{Path, PathBuf};

use sfini::Execution;
use sfini::prelude::*;

/// An image that cannot be read or written.
#[derive(Debug, ActivityError)]
pub struct ImageError(String);

impl std::fmt::Display for ImageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ImageError {}

/// Resizes every image of `image_dir` into `resized_image_dir`.
#[activity(name = "resizeJsonataActivity")]
fn resize(
    image_dir: PathBuf,
    resized_image_dir: PathBuf,
    #[default((64, 64))] new_size: (usize, usize),
) -> Result<(), ImageError> {
    fs::create_dir_all(&resized_image_dir).map_err(|error| ImageError(error.to_string()))?;
    for path in sorted_files(&image_dir)? {
        println!("Resizing image '{}'", path.display());
        let image = Image::read(&path)?;
        let resized = image.resize(new_size.0, new_size.1);
        let target = resized_image_dir.join(path.file_name().unwrap_or_default());
        resized.write(&target)?;
    }
    Ok(())
}

/// The colour at the centre of each image of the directory given as input.
#[activity(name = "getCentresJsonataActivity")]
fn get_centres(#[input] resized_image_dir: PathBuf) -> Result<Vec<[u8; 3]>, ImageError> {
    sorted_files(&resized_image_dir)?
        .iter()
        .map(|path| {
            let image = Image::read(path)?;
            Ok(image.pixel(image.width / 2, image.height / 2))
        })
        .collect()
}

workflow! {
    #[workflow(name = "sfiniFileProcessingJsonata", query_language = jsonata)]
    pub FileProcessingJsonata {
        resizeImages: task(resize) {
            arguments: {
                image_dir: $states.input.image_dir,
                resized_image_dir: $states.input.resized_image_dir,
            },
            assign: { request: $states.input },
        },
        getCentre: task(get_centres) {
            comment: "get pixel values of centres of images",
            arguments: $request.resized_image_dir,
            output: "{% $merge([$request, {'res': $states.result}]) %}",
        },
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let base = std::env::temp_dir().join(format!(
        "sfini-file-processing-jsonata-{}",
        std::process::id()
    ));
    let images = base.join("images");
    let small = base.join("images-small");
    fs::create_dir_all(&images)?;
    let colours = [[128, 128, 128], [128, 255, 0], [0, 0, 0], [0, 0, 255]];
    for (index, colour) in colours.iter().enumerate() {
        Image::filled(200, 100, *colour).write(&images.join(format!("{index}.ppm")))?;
    }
    let input = json!({"image_dir": images, "resized_image_dir": small});
    let sfn = Sfn::from_env().await?;
    let execution = run(&sfn, input).await?;
    let output: Value = execution.output().await?;
    println!("{}", serde_json::to_string_pretty(&output)?);
    fs::remove_dir_all(&base)?;
    Ok(())
}

/// Registers the workflow on `sfn`, serves its activities with a worker,
/// runs one execution with `input` and returns it once it has ended and
/// the worker has stopped.
pub async fn run(sfn: &Sfn, input: Value) -> Result<Execution, Box<dyn std::error::Error>> {
    let worker = sfn
        .worker()
        .workflow::<FileProcessingJsonata>()
        .start()
        .await?;
    let machine = sfn.workflow::<FileProcessingJsonata>();
    machine.register().await?;
    let execution = machine.start(&input).await?;
    let ended = execution.wait_closed(None).await;
    worker.shutdown().await?;
    ended?;
    Ok(execution)
}

fn sorted_files(dir: &Path) -> Result<Vec<PathBuf>, ImageError> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|error| ImageError(format!("{}: {error}", dir.display())))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    Ok(files)
}

/// An RGB image, read from and written to plain PPM (`P3`).
pub struct Image {
    width: usize,
    height: usize,
    pixels: Vec<[u8; 3]>,
}

impl Image {
    pub fn filled(width: usize, height: usize, colour: [u8; 3]) -> Image {
        Image {
            width,
            height,
            pixels: vec![colour; width * height],
        }
    }

    fn pixel(&self, x: usize, y: usize) -> [u8; 3] {
        self.pixels[y * self.width + x]
    }

    /// Nearest-neighbour resizing.
    fn resize(&self, width: usize, height: usize) -> Image {
        let mut pixels = Vec::with_capacity(width * height);
        for y in 0..height {
            for x in 0..width {
                pixels.push(self.pixel(x * self.width / width, y * self.height / height));
            }
        }
        Image {
            width,
            height,
            pixels,
        }
    }

    fn read(path: &Path) -> Result<Image, ImageError> {
        let bad = |why: &str| ImageError(format!("{}: {why}", path.display()));
        let text = fs::read_to_string(path).map_err(|error| bad(&error.to_string()))?;
        let mut numbers = text.split_whitespace();
        if numbers.next() != Some("P3") {
            return Err(bad("not a plain PPM image"));
        }
        let mut next = || -> Result<usize, ImageError> {
            numbers
                .next()
                .and_then(|n| n.parse().ok())
                .ok_or_else(|| bad("truncated image"))
        };
        let (width, height, _max) = (next()?, next()?, next()?);
        let mut pixels = Vec::with_capacity(width * height);
        for _ in 0..width * height {
            pixels.push([next()? as u8, next()? as u8, next()? as u8]);
        }
        Ok(Image {
            width,
            height,
            pixels,
        })
    }

    pub fn write(&self, path: &Path) -> Result<(), ImageError> {
        let mut text = format!("P3\n{} {}\n255\n", self.width, self.height);
        for [r, g, b] in &self.pixels {
            text.push_str(&format!("{r} {g} {b}\n"));
        }
        fs::write(path, text).map_err(|error| ImageError(format!("{}: {error}", path.display())))
    }
}
