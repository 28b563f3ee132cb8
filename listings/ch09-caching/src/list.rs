//! An index-linked doubly linked list, in safe Rust.
//!
//! The textbook O(1) LRU is "a hash map whose values point into a doubly linked list". In Rust a
//! list of `Box`es with back pointers needs `unsafe` or `Rc<RefCell<…>>`; instead we keep every
//! node in one `Vec` (a **slab**) and link nodes by their index. Moving a node to the front is
//! then four index writes, freeing a node pushes its index on a free list for reuse, and the
//! borrow checker is happy because nothing holds a reference into the `Vec`.
//!
//! One slab can hold several lists at once (each is just an [`Ends`] pair): the LFU cache keeps
//! one list per frequency in a single slab.

/// Where a list starts and ends inside a [`Slab`]. An empty list has neither.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Ends {
    head: Option<usize>,
    tail: Option<usize>,
}

impl Ends {
    /// The most recently pushed node (the front).
    pub fn head(&self) -> Option<usize> {
        self.head
    }

    /// The oldest node (the back): the eviction victim of LRU and FIFO.
    pub fn tail(&self) -> Option<usize> {
        self.tail
    }

    /// Whether the list has no nodes.
    pub fn is_empty(&self) -> bool {
        self.head.is_none()
    }
}

#[derive(Debug)]
struct Node<T> {
    item: Option<T>,
    prev: Option<usize>,
    next: Option<usize>,
}

/// The storage for the nodes of one or more lists.
#[derive(Debug)]
pub struct Slab<T> {
    nodes: Vec<Node<T>>,
    free: Vec<usize>,
}

impl<T> Default for Slab<T> {
    fn default() -> Self {
        Self::with_capacity(0)
    }
}

impl<T> Slab<T> {
    /// A slab with room for `capacity` nodes before it reallocates.
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            nodes: Vec::with_capacity(capacity),
            free: Vec::new(),
        }
    }

    /// Store `item` in a free slot (or a new one) and link it at the front of `list`.
    pub fn push_front(&mut self, list: &mut Ends, item: T) -> usize {
        let node = Node {
            item: Some(item),
            prev: None,
            next: None,
        };
        let index = match self.free.pop() {
            Some(slot) => {
                self.nodes[slot] = node;
                slot
            }
            None => {
                self.nodes.push(node);
                self.nodes.len() - 1
            }
        };
        self.link_front(list, index);
        index
    }

    // ANCHOR: slab_list
    /// Detach node `index` from `list`: its neighbors now point at each other. O(1).
    pub fn unlink(&mut self, list: &mut Ends, index: usize) {
        let (prev, next) = (self.nodes[index].prev, self.nodes[index].next);
        match prev {
            Some(p) => self.nodes[p].next = next,
            None => list.head = next,
        }
        match next {
            Some(n) => self.nodes[n].prev = prev,
            None => list.tail = prev,
        }
        self.nodes[index].prev = None;
        self.nodes[index].next = None;
    }

    /// Attach the detached node `index` at the front of `list`. O(1).
    pub fn link_front(&mut self, list: &mut Ends, index: usize) {
        self.nodes[index].next = list.head;
        self.nodes[index].prev = None;
        match list.head {
            Some(h) => self.nodes[h].prev = Some(index),
            None => list.tail = Some(index),
        }
        list.head = Some(index);
    }

    // ANCHOR_END: slab_list

    /// Unlink node `index` from `list`, free its slot, and hand back its item.
    pub fn remove(&mut self, list: &mut Ends, index: usize) -> Option<T> {
        self.unlink(list, index);
        self.free.push(index);
        self.nodes[index].item.take()
    }
}

impl<T> Slab<T> {
    /// The item in node `index`, if the slot is in use.
    pub fn get(&self, index: usize) -> Option<&T> {
        self.nodes.get(index).and_then(|n| n.item.as_ref())
    }

    /// The item in node `index`, mutably.
    pub fn get_mut(&mut self, index: usize) -> Option<&mut T> {
        self.nodes.get_mut(index).and_then(|n| n.item.as_mut())
    }

    /// The node after `index` (towards the tail).
    pub fn next(&self, index: usize) -> Option<usize> {
        self.nodes.get(index).and_then(|n| n.next)
    }
}
