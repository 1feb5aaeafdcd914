#!/usr/bin/env bash
# Behaviour of the fake `docker`: a tiny stateful image store under
# $FAKE_STATE/docker/images/<id or tag>. `build` stores the image's labels,
# Dockerfile and a listing of the build context under a new id (written to
# --iidfile) and its --tag; `tag` copies; `image inspect` answers from it (the
# image user is FAKE_IMAGE_USER, default 1000:1000); `image rm [--force] <id or
# tag>` removes the image under every name it is stored under; `images --quiet
# --filter label=<key>` lists the ids of images with that label; `ps --all --quiet` prints
# $FAKE_STATE/docker/containers (one id a line) and `rm --force` removes ids.
set -euo pipefail
: "${FAKE_STATE:?}"
store="${FAKE_STATE}/docker"
mkdir -p "${store}/images"
touch "${store}/containers"
image_dir() { printf '%s/images/%s' "$store" "${1//[\/:]/_}"; }

case "${1:-}" in
  --version) echo "Docker version 27.5.1, build 27.5.1-0ubuntu3~24.04.2" ;;
  image)
    if [ "${2:-}" = rm ]; then
      force=0
      if [ "${3:-}" = --force ]; then force=1 && shift; fi
      dir=$(image_dir "$3")
      [ -d "$dir" ] || {
        echo "Error response from daemon: No such image: $3" >&2
        exit 1
      }
      id=$(cat "${dir}/id")
      rm -rf "$dir"
      # --force takes every other name of the same image with it.
      if [ "$force" -eq 1 ]; then
        for other in "${store}"/images/*; do
          if [ -f "${other}/id" ] && [ "$(cat "${other}/id")" = "$id" ]; then rm -rf "$other"; fi
        done
      fi
      echo "Deleted: $3"
      exit 0
    fi
    [ "${2:-}" = inspect ] || exit 1
    shift 2
    format=""
    if [ "${1:-}" = --format ]; then
      format="$2"
      shift 2
    fi
    dir=$(image_dir "$1")
    if [ ! -d "$dir" ]; then
      echo "Error response from daemon: No such image: $1" >&2
      exit 1
    fi
    case "$format" in
      "") echo "[{}]" ;;
      *".Config.User"*) cat "${dir}/user" ;;
      "{{.Id}}") cat "${dir}/id" ;;
      *".Config.Labels"*)
        label=$(sed -n 's/.*Labels "\([^"]*\)".*/\1/p' <<<"$format")
        if [ -f "${dir}/labels/${label}" ]; then cat "${dir}/labels/${label}"; else echo "<no value>"; fi
        ;;
      *) echo "fake docker: unsupported format ${format}" >&2 && exit 1 ;;
    esac
    ;;
  build)
    shift
    tag="" file="" context="" iidfile=""
    labels=()
    while [ "$#" -gt 0 ]; do
      case "$1" in
        --tag | -t) tag="$2" && shift 2 ;;
        --iidfile) iidfile="$2" && shift 2 ;;
        --file | -f) file="$2" && shift 2 ;;
        --label) labels+=("$2") && shift 2 ;;
        --build-arg) shift 2 ;;
        --progress=*) shift ;;
        *) context="$1" && shift ;;
      esac
    done
    if [ ! -d "$context" ]; then
      echo "fake docker: build needs a context directory" >&2
      exit 1
    fi
    id="sha256:$(printf '%s' "${tag}${RANDOM}${RANDOM}" | sha256sum | cut -c1-64)"
    dir=$(image_dir "$id")
    rm -rf "$dir"
    mkdir -p "${dir}/labels"
    printf '%s\n' "${FAKE_IMAGE_USER-1000:1000}" >"${dir}/user"
    printf '%s\n' "$id" >"${dir}/id"
    for l in "${labels[@]}"; do printf '%s\n' "${l#*=}" >"${dir}/labels/${l%%=*}"; done
    cp "${file:-${context}/Dockerfile}" "${dir}/Dockerfile"
    (cd "$context" && find . | sort) >"${dir}/context.txt"
    if [ -n "$tag" ]; then
      rm -rf "$(image_dir "$tag")"
      cp -a "$dir" "$(image_dir "$tag")"
    fi
    if [ -n "$iidfile" ]; then printf '%s' "$id" >"$iidfile"; fi
    echo "#1 DONE (fake build of ${tag:-$id})"
    ;;
  tag)
    src=$(image_dir "$2")
    [ -d "$src" ] || {
      echo "Error response from daemon: No such image: $2" >&2
      exit 1
    }
    rm -rf "$(image_dir "$3")"
    cp -a "$src" "$(image_dir "$3")"
    ;;
  images)
    # images --quiet --filter label=<key>: the ids of the stored images with that label.
    key=""
    for a in "$@"; do case "$a" in label=*) key="${a#label=}" ;; esac; done
    for dir in "${store}"/images/*; do
      [ -d "$dir" ] && { [ -z "$key" ] || [ -f "${dir}/labels/${key}" ]; } && cat "${dir}/id"
    done | sort -u
    ;;
  ps) cat "${store}/containers" ;;
  rm)
    shift
    for id in "$@"; do
      case "$id" in
        -*) ;;
        *)
          grep -vxF "$id" "${store}/containers" >"${store}/containers.new" || true
          mv "${store}/containers.new" "${store}/containers"
          ;;
      esac
    done
    ;;
  *)
    echo "fake docker: unsupported command ${1:-}" >&2
    exit 1
    ;;
esac
