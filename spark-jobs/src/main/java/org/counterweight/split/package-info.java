/** Stratified splits and folds that depend only on the seed and stable row keys. */
package org.counterweight.split;
