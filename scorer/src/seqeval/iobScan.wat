;; seqeval's default-mode counts over a gold and a predicted IOB file, a pair
;; of lines at a time, on their bytes (iobSeqevalPass.ts is the host). In
;; WebAssembly because a file of a few megabytes is read before JavaScript's
;; optimizing compiler has compiled a loop: this runs at machine speed from
;; its first line.
;;
;; It takes the plain case only, as iobSeqevalPass.ts describes, and stops
;; (scan returns 1) at the first line pair outside it. Its rules mirror
;; readLineBlocks.ts (lines, blank lines), iobDoc.ts (wordAndTag),
;; blockDocuments.ts (documents) and conllChunks.ts (chunks); the property
;; tests in iobSeqevalPass.test.ts hold it to the document path.
(module
  (import "host" "newTag" (func $newTag (param i32 i32) (result i32)))
  (import "host" "isNewdoc" (func $isNewdoc (param i32 i32) (result i32)))
  (memory (export "memory") 72)

  ;; Layout. PROPS: per tag id, its prefix letter and type id (i32 each).
  ;; COUNTS: per type id, fn, fp and tp (f64 each). SLOTS and ENTRIES: the
  ;; tag table (hash, pool offset, length, id), its bytes in POOL. BUFFERS:
  ;; where the host puts the lines (it grows the memory for long ones). A
  ;; corpus with more tags or types than the tables hold is left to the
  ;; document path: small tables keep a pass's memory small.
  (global $PROPS (export "PROPS") i32 (i32.const 0x10000))
  (global $COUNTS (export "COUNTS") i32 (i32.const 0x30000))
  (global $SLOTS i32 (i32.const 0x90000))
  (global $ENTRIES i32 (i32.const 0xb0000))
  (global $POOL i32 (i32.const 0xf0000))
  (global $BUFFERS (export "BUFFERS") i32 (i32.const 0x200000))
  (global $MAX_TAGS (export "MAX_TAGS") i32 (i32.const 16384))
  (global $MAX_TYPES (export "MAX_TYPES") i32 (i32.const 16384))
  (global $SLOT_MASK i32 (i32.const 32767))
  (global $POOL_BYTES i32 (i32.const 0x100000))

  (global $entries (mut i32) (i32.const 0))
  (global $poolUsed (mut i32) (i32.const 0))
  (global $outsideType (mut i32) (i32.const 0))

  ;; Where scan stopped in each buffer.
  (global $goldAt (mut i32) (i32.const 0))
  (global $predictedAt (mut i32) (i32.const 0))

  ;; The fields $fields found.
  (global $wordStart (mut i32) (i32.const 0))
  (global $wordEnd (mut i32) (i32.const 0))
  (global $tagStart (mut i32) (i32.const 0))
  (global $tagEnd (mut i32) (i32.const 0))

  ;; The sentence so far, and both chunkers' state (conllChunks.ts).
  (global $token (mut i32) (i32.const 0))
  (global $goldTag (mut i32) (i32.const 0x4f))
  (global $goldType (mut i32) (i32.const -1))
  (global $goldBegin (mut i32) (i32.const 0))
  (global $predictedTag (mut i32) (i32.const 0x4f))
  (global $predictedType (mut i32) (i32.const -1))
  (global $predictedBegin (mut i32) (i32.const 0))

  ;; Blocks (sentences) and documents.
  (global $inBlock (mut i32) (i32.const 0))
  (global $blockHasNewdoc (mut i32) (i32.const 0))
  (global $blocks (mut i32) (i32.const 0))
  (global $newdocBlocks (mut i32) (i32.const 0))
  (global $grouped (mut i32) (i32.const 0))

  (func (export "start") (param $outside i32)
    (global.set $outsideType (local.get $outside)))

  (func (export "goldAt") (result i32) (global.get $goldAt))
  (func (export "predictedAt") (result i32) (global.get $predictedAt))

  ;; Documents: with # newdoc in the first block, the blocks that have one; else every block.
  (func (export "docs") (result i32)
    (select (global.get $newdocBlocks) (global.get $blocks) (global.get $grouped)))

  ;; The end of the line at $at: its newline, or $end.
  (func $lineEnd (param $at i32) (param $end i32) (result i32)
    (block $found
      (loop $next
        (br_if $found (i32.ge_u (local.get $at) (local.get $end)))
        (br_if $found (i32.eq (i32.load8_u (local.get $at)) (i32.const 0x0a)))
        (local.set $at (i32.add (local.get $at) (i32.const 1)))
        (br $next)))
    (local.get $at))

  (func $nextTab (param $at i32) (param $end i32) (result i32)
    (block $found
      (loop $next
        (br_if $found (i32.ge_u (local.get $at) (local.get $end)))
        (br_if $found (i32.eq (i32.load8_u (local.get $at)) (i32.const 0x09)))
        (local.set $at (i32.add (local.get $at) (i32.const 1)))
        (br $next)))
    (local.get $at))

  ;; Whether a line opens with a byte order mark, which the line readers
  ;; drop. Nothing else about a non-blank line needs checking: a line they
  ;; call blank is whitespace, so it has no tag; a carriage return they drop
  ;; at the end stays in the last field here, where a tag is then not a tag
  ;; and any other field is not read.
  (func $byteOrderMark (param $start i32) (result i32)
    (i32.and
      (i32.eq (i32.load8_u (local.get $start)) (i32.const 0xef))
      (i32.and
        (i32.eq (i32.load8_u offset=1 (local.get $start)) (i32.const 0xbb))
        (i32.eq (i32.load8_u offset=2 (local.get $start)) (i32.const 0xbf)))))

  ;; iobDoc's wordAndTag for a line with a tab: index, word and tag when the
  ;; first field is a number and a second tab follows; else the first field
  ;; and the last. 0 without a tab or without a word.
  (func $fields (param $start i32) (param $end i32) (result i32)
    (local $first i32) (local $second i32) (local $at i32) (local $numbered i32)
    (local.set $first (call $nextTab (local.get $start) (local.get $end)))
    (if (i32.eq (local.get $first) (local.get $end)) (then (return (i32.const 0))))
    (local.set $second (call $nextTab (i32.add (local.get $first) (i32.const 1)) (local.get $end)))
    (local.set $numbered (i32.and
      (i32.lt_u (local.get $second) (local.get $end))
      (i32.gt_u (local.get $first) (local.get $start))))
    (local.set $at (local.get $start))
    (block $digits
      (loop $next
        (br_if $digits (i32.ge_u (local.get $at) (local.get $first)))
        (if (i32.gt_u (i32.sub (i32.load8_u (local.get $at)) (i32.const 0x30)) (i32.const 9))
          (then (local.set $numbered (i32.const 0)) (br $digits)))
        (local.set $at (i32.add (local.get $at) (i32.const 1)))
        (br $next)))
    (if (local.get $numbered)
      (then
        (global.set $wordStart (i32.add (local.get $first) (i32.const 1)))
        (global.set $wordEnd (local.get $second))
        (global.set $tagStart (i32.add (local.get $second) (i32.const 1)))
        (global.set $tagEnd (call $nextTab (i32.add (local.get $second) (i32.const 1)) (local.get $end))))
      (else
        (local.set $at (i32.sub (local.get $end) (i32.const 1)))
        (block $found
          (loop $back
            (br_if $found (i32.eq (i32.load8_u (local.get $at)) (i32.const 0x09)))
            (local.set $at (i32.sub (local.get $at) (i32.const 1)))
            (br $back)))
        (global.set $wordStart (local.get $start))
        (global.set $wordEnd (local.get $first))
        (global.set $tagStart (i32.add (local.get $at) (i32.const 1)))
        (global.set $tagEnd (local.get $end))))
    (i32.gt_u (global.get $wordEnd) (global.get $wordStart)))

  (func $sameBytes (param $a i32) (param $b i32) (param $length i32) (result i32)
    (local $i i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $length)))
        (if (i32.ne (i32.load8_u (i32.add (local.get $a) (local.get $i))) (i32.load8_u (i32.add (local.get $b) (local.get $i))))
          (then (return (i32.const 0))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (i32.const 1))

  ;; Whether "newdoc" occurs in [$at, $end): what /^#\s*newdoc\b/ needs
  ;; before the host decodes the line to ask it.
  (func $mentionsNewdoc (param $at i32) (param $end i32) (result i32)
    (local.set $end (i32.sub (local.get $end) (i32.const 6)))
    (block $none
      (loop $next
        (br_if $none (i32.gt_s (local.get $at) (local.get $end)))
        (if (i32.and
              (i32.eq (i32.load (local.get $at)) (i32.const 0x6477656e))
              (i32.eq (i32.load16_u offset=4 (local.get $at)) (i32.const 0x636f)))
          (then (return (i32.const 1))))
        (local.set $at (i32.add (local.get $at) (i32.const 1)))
        (br $next)))
    (i32.const 0))

  ;; The tag id of the bytes [$at, $at + $length): found by hash (FNV-1a),
  ;; else the host reads and checks them once (newTag: the id, -1 when not a
  ;; tag, -2 when over the limits). -2 here too when the table is full.
  (func $tagId (param $at i32) (param $length i32) (result i32)
    (local $hash i32) (local $i i32) (local $slot i32) (local $entry i32) (local $id i32)
    (local.set $hash (i32.const 0x811c9dc5))
    (block $hashed
      (loop $next
        (br_if $hashed (i32.ge_u (local.get $i) (local.get $length)))
        (local.set $hash (i32.mul
          (i32.xor (local.get $hash) (i32.load8_u (i32.add (local.get $at) (local.get $i))))
          (i32.const 0x01000193)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.set $slot (i32.and (local.get $hash) (global.get $SLOT_MASK)))
    (block $missing
      (loop $probe
        (local.set $entry (i32.load (i32.add (global.get $SLOTS) (i32.shl (local.get $slot) (i32.const 2)))))
        (br_if $missing (i32.eqz (local.get $entry)))
        (local.set $entry (i32.add (global.get $ENTRIES) (i32.shl (i32.sub (local.get $entry) (i32.const 1)) (i32.const 4))))
        (if (i32.and
              (i32.eq (i32.load (local.get $entry)) (local.get $hash))
              (i32.eq (i32.load offset=8 (local.get $entry)) (local.get $length)))
          (then
            (if (call $sameBytes (i32.add (global.get $POOL) (i32.load offset=4 (local.get $entry))) (local.get $at) (local.get $length))
              (then (return (i32.load offset=12 (local.get $entry)))))))
        (local.set $slot (i32.and (i32.add (local.get $slot) (i32.const 1)) (global.get $SLOT_MASK)))
        (br $probe)))
    (if (i32.or
          (i32.ge_u (global.get $entries) (global.get $MAX_TAGS))
          (i32.gt_u (i32.add (global.get $poolUsed) (local.get $length)) (global.get $POOL_BYTES)))
      (then (return (i32.const -2))))
    (local.set $id (call $newTag (local.get $at) (local.get $length)))
    (memory.copy (i32.add (global.get $POOL) (global.get $poolUsed)) (local.get $at) (local.get $length))
    (local.set $entry (i32.add (global.get $ENTRIES) (i32.shl (global.get $entries) (i32.const 4))))
    (i32.store (local.get $entry) (local.get $hash))
    (i32.store offset=4 (local.get $entry) (global.get $poolUsed))
    (i32.store offset=8 (local.get $entry) (local.get $length))
    (i32.store offset=12 (local.get $entry) (local.get $id))
    (global.set $entries (i32.add (global.get $entries) (i32.const 1)))
    (global.set $poolUsed (i32.add (global.get $poolUsed) (local.get $length)))
    (i32.store (i32.add (global.get $SLOTS) (i32.shl (local.get $slot) (i32.const 2))) (global.get $entries))
    (local.get $id))

  ;; conllChunks.ts's endOfChunk and startOfChunk on prefix letters.
  (func $endsChunk (param $previous i32) (param $tag i32) (param $typeChanges i32) (result i32)
    (if (i32.or (i32.eq (local.get $previous) (i32.const 0x45)) (i32.eq (local.get $previous) (i32.const 0x53)))
      (then (return (i32.const 1))))
    (if (i32.and
          (i32.or (i32.eq (local.get $previous) (i32.const 0x42)) (i32.eq (local.get $previous) (i32.const 0x49)))
          (i32.or (i32.or (i32.eq (local.get $tag) (i32.const 0x42)) (i32.eq (local.get $tag) (i32.const 0x53)))
                  (i32.eq (local.get $tag) (i32.const 0x4f))))
      (then (return (i32.const 1))))
    (i32.and (local.get $typeChanges)
      (i32.and (i32.ne (local.get $previous) (i32.const 0x4f)) (i32.ne (local.get $previous) (i32.const 0x2e)))))

  (func $startsChunk (param $previous i32) (param $tag i32) (param $typeChanges i32) (result i32)
    (if (i32.or (i32.eq (local.get $tag) (i32.const 0x42)) (i32.eq (local.get $tag) (i32.const 0x53)))
      (then (return (i32.const 1))))
    (if (i32.and
          (i32.or (i32.or (i32.eq (local.get $previous) (i32.const 0x45)) (i32.eq (local.get $previous) (i32.const 0x53)))
                  (i32.eq (local.get $previous) (i32.const 0x4f)))
          (i32.or (i32.eq (local.get $tag) (i32.const 0x45)) (i32.eq (local.get $tag) (i32.const 0x49))))
      (then (return (i32.const 1))))
    (i32.and (local.get $typeChanges)
      (i32.and (i32.ne (local.get $tag) (i32.const 0x4f)) (i32.ne (local.get $tag) (i32.const 0x2e)))))

  ;; counts[type][field] += delta (field 0 fn, 1 fp, 2 tp).
  (func $count (param $type i32) (param $field i32) (param $delta f64)
    (local $at i32)
    (local.set $at (i32.add (global.get $COUNTS)
      (i32.add (i32.mul (local.get $type) (i32.const 24)) (i32.shl (local.get $field) (i32.const 3)))))
    (f64.store (local.get $at) (f64.add (f64.load (local.get $at)) (local.get $delta))))

  ;; One token of both sequences (or the O after a sentence). A chunk each
  ;; chunker closes here ends at the previous token; both close at most one,
  ;; so a predicted chunk matches the gold one closed at the same token, if
  ;; it has the same start and type (countChunkIds in conllChunks.ts).
  (func $step (param $goldTag i32) (param $goldType i32) (param $predictedTag i32) (param $predictedType i32)
    (local $goldClosed i32) (local $goldChunkType i32) (local $goldChunkBegin i32)
    (local $predictedClosed i32) (local $typeChanges i32)
    (local.set $typeChanges (i32.ne (global.get $goldType) (local.get $goldType)))
    (if (call $endsChunk (global.get $goldTag) (local.get $goldTag) (local.get $typeChanges))
      (then
        (local.set $goldClosed (i32.const 1))
        (local.set $goldChunkType (global.get $goldType))
        (local.set $goldChunkBegin (global.get $goldBegin))
        (call $count (global.get $goldType) (i32.const 0) (f64.const 1))))
    (if (call $startsChunk (global.get $goldTag) (local.get $goldTag) (local.get $typeChanges))
      (then (global.set $goldBegin (global.get $token))))
    (global.set $goldTag (local.get $goldTag))
    (global.set $goldType (local.get $goldType))

    (local.set $typeChanges (i32.ne (global.get $predictedType) (local.get $predictedType)))
    (if (call $endsChunk (global.get $predictedTag) (local.get $predictedTag) (local.get $typeChanges))
      (then
        (call $count (global.get $predictedType) (i32.const 1) (f64.const 1))
        (if (i32.and (local.get $goldClosed)
              (i32.and (i32.eq (local.get $goldChunkType) (global.get $predictedType))
                       (i32.eq (local.get $goldChunkBegin) (global.get $predictedBegin))))
          (then
            (call $count (local.get $goldChunkType) (i32.const 2) (f64.const 1))
            (call $count (local.get $goldChunkType) (i32.const 1) (f64.const -1))
            (call $count (local.get $goldChunkType) (i32.const 0) (f64.const -1))))))
    (if (call $startsChunk (global.get $predictedTag) (local.get $predictedTag) (local.get $typeChanges))
      (then (global.set $predictedBegin (global.get $token))))
    (global.set $predictedTag (local.get $predictedTag))
    (global.set $predictedType (local.get $predictedType))
    (global.set $token (i32.add (global.get $token) (i32.const 1))))

  ;; Closes the sentence (block) the lines so far made, if any.
  (func $endBlock (export "endBlock")
    (if (i32.eqz (global.get $inBlock)) (then (return)))
    (call $step (i32.const 0x4f) (global.get $outsideType) (i32.const 0x4f) (global.get $outsideType))
    (global.set $token (i32.const 0))
    (global.set $goldTag (i32.const 0x4f))
    (global.set $goldType (i32.const -1))
    (global.set $goldBegin (i32.const 0))
    (global.set $predictedTag (i32.const 0x4f))
    (global.set $predictedType (i32.const -1))
    (global.set $predictedBegin (i32.const 0))
    (if (i32.eqz (global.get $blocks)) (then (global.set $grouped (global.get $blockHasNewdoc))))
    (global.set $blocks (i32.add (global.get $blocks) (i32.const 1)))
    (global.set $newdocBlocks (i32.add (global.get $newdocBlocks) (global.get $blockHasNewdoc)))
    (global.set $inBlock (i32.const 0))
    (global.set $blockHasNewdoc (i32.const 0)))

  ;; Every pair of complete lines in [$gold, $goldEnd) and [$predicted,
  ;; $predictedEnd): 0 when one side has no line left (goldAt and predictedAt
  ;; say how far it got), 1 at the first pair outside the plain case.
  (func (export "scan") (param $gold i32) (param $goldEnd i32) (param $predicted i32) (param $predictedEnd i32) (result i32)
    (local $g i32) (local $p i32) (local $ge i32) (local $pe i32)
    (local $goldWord i32) (local $wordLength i32) (local $goldTag i32) (local $predictedTag i32)
    (loop $line
      (global.set $goldAt (local.get $gold))
      (global.set $predictedAt (local.get $predicted))
      (if (i32.or (i32.ge_u (local.get $gold) (local.get $goldEnd)) (i32.ge_u (local.get $predicted) (local.get $predictedEnd)))
        (then (return (i32.const 0))))
      (local.set $g (local.get $gold))
      (local.set $p (local.get $predicted))
      (local.set $ge (call $lineEnd (local.get $g) (local.get $goldEnd)))
      (local.set $pe (call $lineEnd (local.get $p) (local.get $predictedEnd)))
      (local.set $gold (select (i32.add (local.get $ge) (i32.const 1)) (local.get $ge) (i32.lt_u (local.get $ge) (local.get $goldEnd))))
      (local.set $predicted (select (i32.add (local.get $pe) (i32.const 1)) (local.get $pe) (i32.lt_u (local.get $pe) (local.get $predictedEnd))))
      (block $next
        ;; A blank line ends a block.
        (if (i32.or (i32.eq (local.get $g) (local.get $ge)) (i32.eq (local.get $p) (local.get $pe)))
          (then
            (if (i32.ne (i32.eq (local.get $g) (local.get $ge)) (i32.eq (local.get $p) (local.get $pe))) (then (return (i32.const 1))))
            (call $endBlock)
            (br $next)))
        (if (i32.or (call $byteOrderMark (local.get $g)) (call $byteOrderMark (local.get $p)))
          (then (return (i32.const 1))))
        ;; A comment: the same on both sides; the host reads one that mentions newdoc (# newdoc starts a document).
        (if (i32.or (i32.eq (i32.load8_u (local.get $g)) (i32.const 0x23)) (i32.eq (i32.load8_u (local.get $p)) (i32.const 0x23)))
          (then
            (if (i32.ne (i32.sub (local.get $ge) (local.get $g)) (i32.sub (local.get $pe) (local.get $p))) (then (return (i32.const 1))))
            (if (i32.eqz (call $sameBytes (local.get $g) (local.get $p) (i32.sub (local.get $ge) (local.get $g)))) (then (return (i32.const 1))))
            (global.set $inBlock (i32.const 1))
            (if (call $mentionsNewdoc (local.get $g) (local.get $ge))
              (then
                (if (call $isNewdoc (local.get $g) (local.get $ge)) (then (global.set $blockHasNewdoc (i32.const 1))))))
            (br $next)))
        ;; A token: the same word on both sides, a tag each.
        (if (i32.eqz (call $fields (local.get $g) (local.get $ge))) (then (return (i32.const 1))))
        (local.set $goldWord (global.get $wordStart))
        (local.set $wordLength (i32.sub (global.get $wordEnd) (global.get $wordStart)))
        (local.set $goldTag (call $tagId (global.get $tagStart) (i32.sub (global.get $tagEnd) (global.get $tagStart))))
        (if (i32.eqz (call $fields (local.get $p) (local.get $pe))) (then (return (i32.const 1))))
        (if (i32.ne (i32.sub (global.get $wordEnd) (global.get $wordStart)) (local.get $wordLength)) (then (return (i32.const 1))))
        (if (i32.eqz (call $sameBytes (local.get $goldWord) (global.get $wordStart) (local.get $wordLength))) (then (return (i32.const 1))))
        (local.set $predictedTag (call $tagId (global.get $tagStart) (i32.sub (global.get $tagEnd) (global.get $tagStart))))
        (if (i32.or (i32.lt_s (local.get $goldTag) (i32.const 0)) (i32.lt_s (local.get $predictedTag) (i32.const 0)))
          (then (return (i32.const 1))))
        (call $step
          (i32.load (i32.add (global.get $PROPS) (i32.shl (local.get $goldTag) (i32.const 3))))
          (i32.load offset=4 (i32.add (global.get $PROPS) (i32.shl (local.get $goldTag) (i32.const 3))))
          (i32.load (i32.add (global.get $PROPS) (i32.shl (local.get $predictedTag) (i32.const 3))))
          (i32.load offset=4 (i32.add (global.get $PROPS) (i32.shl (local.get $predictedTag) (i32.const 3)))))
        (global.set $inBlock (i32.const 1)))
      (br $line))
    (i32.const 0))
)
