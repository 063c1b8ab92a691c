//! Backward slicing: the lines a value depends on. One routine for every straight-line form of
//! a program (a [`Program`](crate::Program)'s lines, a battery's nodes, ...): each is seen as
//! numbered lines that read earlier lines, through a function that lists what a line reads.

/// The lines line `root` depends on, itself included and last, in the canonical order: a
/// depth-first walk from `root` in which every line comes after the lines it reads, and those
/// are visited in the order `reads` lists them. `reads(k)` lists the lines line `k` reads (each
/// below `k`; repeats are fine).
///
/// ```
/// // line 2 reads lines 1 and 0, line 1 reads line 0; line 3 is not needed by line 2
/// let reads = |k: usize| -> Vec<usize> { [vec![], vec![0], vec![1, 0], vec![2]][k].clone() };
/// assert_eq!(batt_prog::slice::slice(2, reads), vec![0, 1, 2]);
/// ```
pub fn slice<R: IntoIterator<Item = usize>>(root: usize, reads: impl Fn(usize) -> R) -> Vec<usize> {
    let mut order: Vec<usize> = Vec::new();
    let mut placed = vec![false; root + 1];
    // an iterative post-order walk: (line, its inputs already pushed)
    let mut stack: Vec<(usize, bool)> = vec![(root, false)];
    let mut deps: Vec<usize> = Vec::new();
    while let Some((k, expanded)) = stack.pop() {
        if placed[k] {
            continue;
        }
        if expanded {
            placed[k] = true;
            order.push(k);
            continue;
        }
        stack.push((k, true));
        deps.clear();
        deps.extend(reads(k));
        for &m in deps.iter().rev() {
            debug_assert!(m < k, "line {k} reads line {m}, which is not earlier");
            if !placed[m] {
                stack.push((m, false));
            }
        }
    }
    order
}

#[cfg(test)]
mod tests {
    use super::slice;

    #[test]
    fn lines_come_after_what_they_read_and_dead_lines_are_left_out() {
        // 0: input, 1: reads 0, 2: dead, 3: reads 1 and 0, 4: reads 3, 1 and 3 again
        let reads = |k: usize| -> Vec<usize> { [vec![], vec![0], vec![0], vec![1, 0], vec![3, 1, 3]][k].clone() };
        assert_eq!(slice(4, reads), vec![0, 1, 3, 4]);
        assert_eq!(slice(2, reads), vec![0, 2]);
        assert_eq!(slice(0, reads), vec![0]);
        // arguments are visited left to right: line 2 reads 1 before 0
        let reads = |k: usize| -> Vec<usize> { [vec![], vec![], vec![1, 0]][k].clone() };
        assert_eq!(slice(2, reads), vec![1, 0, 2]);
    }
}
