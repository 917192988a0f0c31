#!/usr/bin/env perl
# lint_deps.pl: the layer rules of scripts/layers.txt, checked on src/.
#
# Usage: perl scripts/lint_deps.pl LAYERS_FILE FILE...   (run from the root)
#
# 1. Layers: every `#include "X/..."` in src/L/... must name L itself or a
#    folder that layers.txt lets L include; every folder under src/ must be
#    described there.
# 2. Circles: no circle between files. A file's node is its stem (foo.c and
#    foo.h are one node, so a .c counts with its own header). A node depends
#    on another when its .c uses a function or variable that the other's .c
#    defines (not static), wherever it is declared (a module's shared
#    foo_int.h too), or when its header includes the other's header. A .c
#    that includes a header only for its types or its own prototype (cli.h
#    for cmd_*.c) does not depend on the header's .c. Every strongly
#    connected set of more than one node is reported with the dependencies
#    that close it.
# Prints one line per problem, `== layers` / `== circles` headers and `ok`;
# exits 1 when anything failed.
use strict;
use warnings;

my ($layers_file, @files) = @ARGV;
die "usage: lint_deps.pl LAYERS FILE...\n" unless $layers_file && @files;

# ---- layers.txt: "FOLDER: FOLDER FOLDER ..." per line; # comments.
my (%may, %pending, @pending_order, $bad_layers);
open my $lf, '<', $layers_file or die "lint_deps: $layers_file: $!\n";
while (my $line = <$lf>) {
	$line =~ s/#.*//;
	next unless $line =~ /\S/;
	if ($line =~ /^\s*pending\s*:\s*(\S+)\s*->\s*(\S+)\s*$/) {
		$pending{"$1 $2"} = 1;
		push @pending_order, "$1 -> $2";
	} elsif ($line =~ /^\s*([\w\/]+)\s*:\s*(.*?)\s*$/) {
		$may{$1} = { map { $_ => 1 } split /\s+/, $2 };
	} else {
		print "$layers_file:$.: cannot read this line\n";
		$bad_layers = 1;
	}
}
close $lf;

sub layer_of {
	my ($path) = @_;    # "src/web/x.c" or "web/x.h"
	$path =~ s{^src/}{};
	return $path =~ m{^([^/]+)/} ? $1 : ($path =~ /^(\w+)\.[ch]$/ ? $1 : $path);
}

# The node of a file: path under src/ without its extension.
sub node_of {
	my ($path) = @_;
	$path =~ s{^src/}{};
	$path =~ s/\.[ch]$//;
	return $path;
}

# Comments, string and character literals blanked, newlines kept.
sub blank {
	my ($src) = @_;
	$src =~ s{(/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*')}{
		my $m = $1; $m =~ s/[^\n]/ /g; $m }gse;
	return $src;
}

my (%text, %incs);    # file -> blanked code; file -> [[line, target]]
for my $f (@files) {
	open my $fh, '<', $f or die "lint_deps: $f: $!\n";
	local $/;
	my $src = <$fh>;
	close $fh;
	my $n = 0;
	for my $l (split /\n/, $src) {
		$n++;
		push @{ $incs{$f} }, [ $n, $1 ] if $l =~ /^\s*#\s*include\s+"([^"]+)"/;
	}
	$text{$f} = blank($src);
}

my $failed = 0;

# ---- 1. layers
print "== layers (scripts/layers.txt)\n";
my @bad;
my %seen_layer;
for my $f (@files) {
	my $from = layer_of($f);
	if (!$may{$from}) {
		push @bad, "$f: folder src/$from is not in $layers_file: say what it may include"
			unless $seen_layer{$from}++;
		next;
	}
	for my $inc (@{ $incs{$f} }) {
		my ($line, $target) = @$inc;
		my $to = layer_of($target);
		next if $to eq $from || $may{$from}{$to};
		push @bad, "$f:$line: $from may not include $to ($target)";
	}
}
if (@bad || $bad_layers) {
	print "$_\n" for @bad;
	print "lint: an include goes against the layers; see $layers_file\n";
	$failed = 1;
} else {
	print "ok\n";
}

# ---- 2. circles
print "== circles between files\n";

# Global definitions of a .c file: functions and variables at file scope
# that are not static. Walks the top level of the blanked code.
sub definitions {
	my ($code) = @_;
	$code =~ s/^\s*#(?:[^\n]*\\\n)*[^\n]*//mg;    # preprocessor lines
	my @defs;
	my ($stmt, $i, $len) = ('', 0, length $code);
	while ($i < $len) {
		my $ch = substr($code, $i, 1);
		if ($ch eq '{') {
			# Skip the braced block; remember whether a function body.
			my $depth = 0;
			my $j = $i;
			for (; $j < $len; $j++) {
				my $c = substr($code, $j, 1);
				$depth++ if $c eq '{';
				$depth-- if $c eq '}';
				last if $depth == 0;
			}
			if ($stmt =~ /\)\s*$/) {
				push @defs, $1 if $stmt !~ /\bstatic\b/ && $stmt =~ /(\w+)\s*\(/;
				$stmt = '';
			} else {
				$stmt .= ' {} ';
			}
			$i = $j + 1;
			next;
		}
		if ($ch eq ';') {
			if ($stmt !~ /\b(?:static|extern|typedef)\b/) {
				# A variable: the name before [ or = (not a prototype).
				my $head = $stmt;
				$head =~ s/=.*//s;
				if ($head !~ /\(/ && $head =~ /\w\s+\**\s*\w/
				    && $head =~ /(\w+)\s*(?:\[[^\]]*\]\s*)*$/) {
					push @defs, $1;
				}
			}
			$stmt = '';
			$i++;
			next;
		}
		$stmt .= $ch;
		$i++;
	}
	return @defs;
}

my (%def, %node_files);
for my $f (@files) {
	$node_files{ node_of($f) }{$f} = 1;
	next unless $f =~ /\.c$/;
	$def{$_} //= $f for definitions($text{$f});
}

# Edges with a reason each: "A includes b.h" or "A uses name".
my %edge;    # "from to" -> reason
for my $f (@files) {
	my $from = node_of($f);
	if ($f =~ /\.h$/) {
		for my $inc (@{ $incs{$f} }) {
			my $to = node_of($inc->[1]);
			next if $to eq $from || !$node_files{$to};
			$edge{"$from $to"} //= "$f includes $inc->[1]";
		}
		next;
	}
	my $code = $text{$f};
	$code =~ s/^\s*#\s*include[^\n]*//mg;
	my %used = map { $_ => 1 } $code =~ /\b([A-Za-z_]\w*)\b/g;
	for my $name (sort keys %used) {
		my $d = $def{$name};
		next unless $d;
		my $to = node_of($d);
		next if $to eq $from;
		$edge{"$from $to"} //= "$f uses $name ($d)";
	}
}

# Edges named `pending:` in layers.txt are known circles being broken:
# left out, and reported when they no longer exist.
my @stale;
for my $p (@pending_order) {
	my ($a, $b) = split / -> /, $p;
	push @stale, $p unless $edge{"$a $b"};
	delete $edge{"$a $b"};
}

my %adj;
for my $e (keys %edge) {
	my ($a, $b) = split / /, $e;
	$adj{$a}{$b} = 1;
}

# Tarjan's strongly connected components.
my ($index, %idx, %low, @stack, %on, @sccs) = (0);
sub visit {
	my ($v) = @_;
	$idx{$v} = $low{$v} = $index++;
	push @stack, $v;
	$on{$v} = 1;
	for my $w (sort keys %{ $adj{$v} || {} }) {
		if (!exists $idx{$w}) {
			visit($w);
			$low{$v} = $low{$w} if $low{$w} < $low{$v};
		} elsif ($on{$w}) {
			$low{$v} = $idx{$w} if $idx{$w} < $low{$v};
		}
	}
	if ($low{$v} == $idx{$v}) {
		my @c;
		while (1) {
			my $w = pop @stack;
			$on{$w} = 0;
			push @c, $w;
			last if $w eq $v;
		}
		push @sccs, [ sort @c ] if @c > 1;
	}
}
visit($_) for grep { !exists $idx{$_} } sort keys %node_files;

# The shortest circle through the first file of a set, by breadth-first
# search back to it inside the set.
sub shortest_circle {
	my ($in, $start) = @_;
	my %prev = ($start => '');
	my @queue = ($start);
	while (@queue) {
		my $v = shift @queue;
		for my $w (sort keys %{ $adj{$v} || {} }) {
			next unless $in->{$w};
			if ($w eq $start) {
				my @path = ($v);
				unshift @path, $prev{ $path[0] } while $prev{ $path[0] } ne '';
				return (@path, $start);
			}
			next if exists $prev{$w};
			$prev{$w} = $v;
			push @queue, $w;
		}
	}
	return ();
}

for my $c (@sccs) {
	my %in = map { $_ => 1 } @$c;
	print "circle of ", scalar(@$c), " files: ", join(' ', @$c), "\n";
	my @path = shortest_circle(\%in, $c->[0]);
	print "  $path[$_] -> $path[$_ + 1]: $edge{\"$path[$_] $path[$_ + 1]\"}\n" for 0 .. $#path - 1;
}
print "stale pending: $_ (no longer a dependency: remove it from $layers_file)\n" for @stale;
if (@sccs || @stale) {
	print "lint: files depend on each other in a circle; move the shared part down "
		. "into a file both use, or invert the call\n" if @sccs;
	$failed = 1;
} else {
	print "ok", (@pending_order ? " (" . @pending_order . " pending edges left out)" : ''), "\n";
}

exit $failed;
